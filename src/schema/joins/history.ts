import { newestLedgerDate } from '../../kernel/booking-window.ts';
import { addDays } from '../../kernel/calendar.ts';
import { entryOf } from '../../kernel/memo.ts';
import type { MirrorLocation } from '../../sources/report/client.ts';
import type { IndexedReportDay } from '../../sources/report/loaders.ts';
import type { ReportEntry, Topic } from '../../sources/report/models.ts';
import type { Context } from '../context.ts';
import { planSearch, type Reach, type SearchPlan } from './search-plan.ts';
import { movementShapesOf, type MoneyMovementShape, type MoneySubject } from './shapes.ts';

/**
 * A sale's or an order's money history: every funds and fees entry with its pspReference (a
 * sale) or its reference (an order), read from whole Report dates through the request's `day`
 * loader. Every sale of a page asks for the same dates at once, so a page costs one fetch per
 * account and date, never one per sale.
 */

export interface MoneyHistory {
  ledgerId: string;
  funds: readonly MoneyMovementShape[];
  fees: readonly MoneyMovementShape[];
  /** The funds dates read, oldest first. */
  fundsDays: IndexedReportDay[];
  /** Every date read on either account, oldest first. */
  checkedDates: string[];
  checkedFrom: string;
  checkedThrough: string | null;
  complete: boolean;
  viaMirror: boolean;
}

/** The newest ledger date there is on a ledger, by upstream's clock and the ledger's time zone. */
export function newestDateOf(context: Context, ledgerId: string): Promise<string> {
  // Once per request and ledger: working out a time zone's wall clock costs more than a sale's whole search.
  return entryOf(entryOf(newestDates, context, () => new Map<string, Promise<string>>()), ledgerId, async () => {
    const ledger = await context.report.ledger.load(ledgerId);
    return newestLedgerDate(ledger?.currency ?? '', context.upstreamNow());
  });
}

const newestDates = new WeakMap<Context, Map<string, Promise<string>>>();

/**
 * `planSearch` for this request. A plan that reaches the newest date there is grows when the next
 * date begins (a sale's next-day fee, a late dispute), so nothing answered from it is kept for
 * good: the request's clock, not only its reads, decided what it holds.
 */
export function planFor(context: Context, location: MirrorLocation | null, from: string, to: string, reach: Reach, newest: string): SearchPlan {
  const plan = planSearch(location, from, to, reach, newest);
  if (plan.complete) context.reads.lasting.note('changing', 'search reaches the newest date');
  return plan;
}

export async function locationOf(context: Context, subject: MoneySubject, topic: Topic): Promise<MirrorLocation | null> {
  const { ledgerId, key } = subject;
  return 'pspReference' in key
    ? context.report.located.load({ ledgerId, topic, pspReference: key.pspReference })
    : context.report.locatedReference.load({ ledgerId, topic, reference: key.reference });
}

export function matching(day: IndexedReportDay, key: MoneySubject['key']): readonly ReportEntry[] {
  return ('pspReference' in key ? day.byPspReference.get(key.pspReference) : day.byReference.get(key.reference)) ?? [];
}

/** One account's part of a search: what it read, found, and can claim. */
export interface AccountSearch {
  plan: SearchPlan;
  days: IndexedReportDay[];
  movements: readonly MoneyMovementShape[];
}

async function searchAccount(context: Context, subject: MoneySubject, topic: Topic, reach: Reach): Promise<AccountSearch> {
  const newest = await newestDateOf(context, subject.ledgerId);
  const location = await locationOf(context, subject, topic);
  const plan = planFor(context, location, subject.from, subject.to, reach, newest);
  const load = (date: string) => context.report.day.load({ ledgerId: subject.ledgerId, topic, date });
  const days =
    reach.kind === 'booking' && topic === 'funds'
      ? await bookedFunds(plan.dates, new Set(location?.dates), load, subject.key)
      : await Promise.all(plan.dates.map(load));
  return foundIn(subject, topic, plan, days);
}

/** What a search of `subject` on `topic` found in the `days` it read of its `plan` (oldest first), and can claim. */
export function foundIn(subject: MoneySubject, topic: Topic, plan: SearchPlan, days: IndexedReportDay[]): AccountSearch {
  // Plain loops: this runs for every sale of every page. A sale found on one date (most are)
  // answers that date's own list of shapes, without a copy.
  let movements: readonly MoneyMovementShape[] = [];
  for (const day of days) {
    const found = matching(day, subject.key);
    if (found.length === 0) continue;
    const shapes = movementShapesOf(subject.ledgerId, topic, found);
    movements = movements.length === 0 ? shapes : [...movements, ...shapes];
  }
  if (days.length === plan.dates.length) return { plan, days, movements };
  return { plan: planAsRead(plan, days), days, movements };
}

/**
 * Most sales of a page stop at the same date, and share the list of days they read
 * (page-search.ts): their plan as read is made once per plan and list.
 */
function planAsRead(plan: SearchPlan, days: readonly IndexedReportDay[]): SearchPlan {
  const known = plansAsRead.get(days);
  if (known?.plan === plan) return known.asRead;
  const asRead = stoppedAt(plan, days.map((day) => day.date));
  plansAsRead.set(days, { plan, asRead });
  return asRead;
}

const plansAsRead = new WeakMap<readonly IndexedReportDay[], { plan: SearchPlan; asRead: SearchPlan }>();

/** A search that stopped early claims only the dates before the first one it left unread. */
function stoppedAt(plan: SearchPlan, read: string[]): SearchPlan {
  const skipped = plan.dates.find((date) => !read.includes(date));
  return skipped === undefined ? plan : { ...plan, dates: read, checkedThrough: addDays(skipped, -1), complete: false };
}

/**
 * A sale books one capture (or refund) in its booking window, so its funds search reads every
 * date the mirror names (later entries at any distance), and of the other dates only as many as
 * it takes to find it: the next date is read only for the sales of a page still missing on their
 * own date (past the cut-off), so a ledger day costs one funds date when none came late. Fees go
 * on: a capture may have a second fee on the next date.
 */
async function bookedFunds(
  dates: readonly string[],
  named: ReadonlySet<string>,
  load: (date: string) => Promise<IndexedReportDay>,
  key: MoneySubject['key'],
): Promise<IndexedReportDay[]> {
  const days = await Promise.all(dates.filter((date) => named.has(date)).map(load));
  for (const date of dates.filter((candidate) => !named.has(candidate))) {
    if (days.some((day) => matching(day, key).length > 0)) break;
    days.push(await load(date));
  }
  return days.sort((a, b) => a.date.localeCompare(b.date));
}

/** What both accounts' plans claim together: as far as the shorter one reaches. */
function together(funds: SearchPlan, fees: SearchPlan): Pick<MoneyHistory, 'checkedThrough' | 'complete' | 'viaMirror'> {
  const through = [funds.checkedThrough, fees.checkedThrough];
  return {
    checkedThrough: through.includes(null) ? null : ((through as string[]).sort()[0] ?? null),
    complete: funds.complete && fees.complete,
    viaMirror: funds.viaMirror && fees.viaMirror,
  };
}

/**
 * Searches are shared by every field of one request that asks about the same sale or order, as
 * far, on the same account: `captures` and `settlement` read funds only, `fees` fees only. A
 * search already made for a whole page (joins/page-search.ts) is here as its result, so that
 * the fields of its sales answer without a promise. Per request, then per account and reach,
 * then per owner: one map entry per sale, not a map of its own.
 */
const searches = new WeakMap<Context, Map<string, Map<object, AccountSearch | Promise<AccountSearch>>>>();

/** The searches of one account and reach in this request, by owner. */
export const searchesOf = (context: Context, topic: Topic, reach: Reach) =>
  entryOf(entryOf(searches, context, newAccountSearches), reach.kind === 'booking' ? topic : `${topic}:${reach.days}`, newOwnerSearches);

// Made once, not a closure per call: every sale's `captures` and `fees` ask.
const newAccountSearches = () => new Map<string, Map<object, AccountSearch | Promise<AccountSearch>>>();
const newOwnerSearches = () => new Map<object, AccountSearch | Promise<AccountSearch>>();

/** One account of the money history of `owner` (a sale, an order or a payout object of this request). */
export function accountHistory(context: Context, owner: object, subject: MoneySubject, topic: Topic, reach: Reach): AccountSearch | Promise<AccountSearch> {
  return entryOf(searchesOf(context, topic, reach), owner, () => searchAccount(context, subject, topic, reach));
}

/** What a search made for a whole page at once found, as `searchesOf` keeps it: a failure as a rejected promise. */
export function remembered(found: AccountSearch | Error): AccountSearch | Promise<AccountSearch> {
  return found instanceof Error ? failed(found) : found;
}

function failed(error: Error): Promise<never> {
  const rejected = Promise.reject(error);
  // Answered by the field that asks; a page search may record it for a sale no field asks about.
  rejected.catch(() => undefined);
  return rejected;
}

/** The money history of `owner` on both accounts. */
export async function moneyHistory(context: Context, owner: object, subject: MoneySubject, reach: Reach): Promise<MoneyHistory> {
  const [funds, fees] = await Promise.all([
    accountHistory(context, owner, subject, 'funds', reach),
    accountHistory(context, owner, subject, 'fees', reach),
  ]);
  return {
    ledgerId: subject.ledgerId,
    funds: funds.movements,
    fees: fees.movements,
    fundsDays: funds.days,
    checkedDates: [...new Set([...funds.plan.dates, ...fees.plan.dates])].sort(),
    checkedFrom: subject.from,
    ...together(funds.plan, fees.plan),
  };
}

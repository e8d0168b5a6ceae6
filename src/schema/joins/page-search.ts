import type { MirrorLocation } from '../../sources/report/client.ts';
import type { IndexedReportDay } from '../../sources/report/loaders.ts';
import type { Topic } from '../../sources/report/models.ts';
import { asError } from '../../sources/batching.ts';
import type { Context } from '../context.ts';
import { foundIn, locationOf, matching, newestDateOf, planFor, remembered, searchesOf } from './history.ts';
import type { Reach, SearchPlan } from './search-plan.ts';
import { saleSubject, type MoneySubject, type SaleShape } from './shapes.ts';

/*
 * A page of sales searched in one pass per account, instead of one search per sale and field
 * (joins/history.ts): the newest date is worked out once, one plan serves every sale whose
 * plan is the same, and each date is asked of the loader once. Each sale reads exactly the
 * dates its own search would, in the same waves, and its result is recorded in the request's
 * search memo, so that `captures`, `fees` and `settlement` answer it as a plain lookup.
 */

/** One account and reach a document asks of the sales of a page. */
export interface PageSearch {
  topic: Topic;
  reach: Reach;
}

const booking: Reach = { kind: 'booking' };

/** The searches the fields asked of a page's sales make (`fieldsAskedOfSales`): their own capture and fees. */
export function searchesAskedOfSales(asked: ReadonlySet<string>): PageSearch[] {
  const searches: PageSearch[] = [];
  if (asked.has('captures') || asked.has('settlement')) searches.push({ topic: 'funds', reach: booking });
  if (asked.has('fees')) searches.push({ topic: 'fees', reach: booking });
  return searches;
}

/** Searches every sale of `sales` on each of `asked`; what cannot be searched here is left to the sale's own search. */
export async function searchPage(context: Context, sales: readonly SaleShape[], asked: readonly PageSearch[]): Promise<void> {
  // A failure before any date is read (the ledger, the mirror) is left to each sale's own search, which answers it on its field.
  await Promise.all(asked.map(({ topic, reach }) => searchPageAccount(context, sales, topic, reach).catch(() => undefined)));
}

interface SaleSearch {
  sale: SaleShape;
  subject: MoneySubject;
  plan: SearchPlan;
  /** Dates read first, together (all of the plan, or for a sale's own funds the dates the mirror names). */
  first: string[];
  /** Dates read one after another until the sale's own capture or refund is found. */
  then: string[];
  days: IndexedReportDay[];
  failure: Error | null;
}

async function searchPageAccount(context: Context, sales: readonly SaleShape[], topic: Topic, reach: Reach): Promise<void> {
  const known = searchesOf(context, topic, reach);
  const subjects: Array<{ sale: SaleShape; subject: MoneySubject }> = [];
  for (const sale of sales) {
    const subject = known.has(sale) ? null : saleSubject(sale);
    if (subject !== null) subjects.push({ sale, subject });
  }
  if (subjects.length === 0) return;
  const searches = await planAll(context, subjects, topic, reach);

  // Each date once for the whole page, in waves: no promise per sale.
  const read = new Map<string, IndexedReportDay | Error>();
  const readAll = async (wanted: ReadonlyArray<readonly [ledgerId: string, date: string]>) => {
    const fresh = new Map<string, Promise<IndexedReportDay | Error>>();
    for (const [ledgerId, date] of wanted) {
      const key = `${ledgerId}/${date}`;
      if (!read.has(key) && !fresh.has(key)) fresh.set(key, context.report.day.load({ ledgerId, topic, date }).catch(asError));
    }
    const days = await Promise.all(fresh.values());
    let index = 0;
    for (const key of fresh.keys()) read.set(key, days[index++] as IndexedReportDay | Error);
  };
  const take = (search: SaleSearch, date: string) => {
    const day = read.get(`${search.subject.ledgerId}/${date}`);
    if (search.failure !== null || day === undefined) return;
    if (day instanceof Error) search.failure = day;
    else search.days.push(day);
  };

  await readAll(searches.flatMap((search) => search.first.map((date) => [search.subject.ledgerId, date] as const)));
  for (const search of searches) for (const date of search.first) take(search, date);
  // A sale's own funds beyond the dates named: the next date only while it is still missing (see history.ts, bookedFunds).
  for (let step = 0; ; step += 1) {
    const going = searches.filter((search) => search.failure === null && step < search.then.length && !foundAny(search));
    if (going.length === 0) break;
    await readAll(going.map((search) => [search.subject.ledgerId, search.then[step] ?? ''] as const));
    for (const search of going) take(search, search.then[step] ?? '');
  }

  for (const search of searches) {
    search.days.sort(byDate);
    known.set(search.sale, remembered(search.failure ?? foundIn(search.subject, topic, search.plan, search.days)));
  }
}

const byDate = (a: IndexedReportDay, b: IndexedReportDay) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

function foundAny(search: SaleSearch): boolean {
  for (const day of search.days) if (matching(day, search.subject.key).length > 0) return true;
  return false;
}

interface SharedPlan {
  plan: SearchPlan;
  split: [first: string[], then: string[]];
}

/** Each sale's plan, as its own search makes it; sales without a mirror location on the same dates share one. */
async function planAll(context: Context, subjects: ReadonlyArray<{ sale: SaleShape; subject: MoneySubject }>, topic: Topic, reach: Reach): Promise<SaleSearch[]> {
  const newest = new Map<string, string>();
  for (const ledgerId of new Set(subjects.map(({ subject }) => subject.ledgerId))) newest.set(ledgerId, await newestDateOf(context, ledgerId));
  // Without a mirror every location is unknown: nothing to ask per sale.
  const locations = context.report.mirrored ? await Promise.all(subjects.map(({ subject }) => locationOf(context, subject, topic))) : [];
  const shared = new Map<string, SharedPlan>();
  const searches: SaleSearch[] = [];
  for (const [index, { sale, subject }] of subjects.entries()) {
    const location = locations[index] ?? null;
    const key = location === null ? `${subject.ledgerId}/${subject.from}/${subject.to}` : null;
    let planned = key === null ? undefined : shared.get(key);
    if (planned === undefined) {
      const plan = planFor(context, location, subject.from, subject.to, reach, newest.get(subject.ledgerId) ?? '');
      planned = { plan, split: ownFundsFirst(plan, location, topic, reach) };
      if (key !== null) shared.set(key, planned);
    }
    searches.push({ sale, subject, plan: planned.plan, first: planned.split[0], then: planned.split[1], days: [], failure: null });
  }
  return searches;
}

/** The dates read at once and those read one by one, as the sale's own search splits them. */
function ownFundsFirst(plan: SearchPlan, location: MirrorLocation | null, topic: Topic, reach: Reach): [first: string[], then: string[]] {
  if (reach.kind !== 'booking' || topic !== 'funds') return [plan.dates, []];
  const named = new Set(location?.dates);
  return [plan.dates.filter((date) => named.has(date)), plan.dates.filter((date) => !named.has(date))];
}

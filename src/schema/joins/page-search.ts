import type { MirrorLocation } from '../../sources/report/client.ts';
import type { IndexedReportDay } from '../../sources/report/loaders.ts';
import type { Topic } from '../../sources/report/models.ts';
import { entryOf } from '../../kernel/memo.ts';
import { asError } from '../../sources/batching.ts';
import type { Context } from '../context.ts';
import { foundIn, locationOf, matching, newestDateOf, planFor, remembered, searchesOf } from './history.ts';
import type { Reach, SearchPlan } from './search-plan.ts';
import type { MoneySubject, SaleShape } from './shapes.ts';

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

/** A plan the sales of a page share (all of them, without a mirror, when they were sold on one date). */
interface SharedPlan {
  ledgerId: string;
  plan: SearchPlan;
  /** Dates read first, together (all of the plan, or for a sale's own funds the dates the mirror names). */
  first: string[];
  /** Dates read one after another until the sale's own capture or refund is found. */
  then: string[];
  /**
   * What its sales still searching have read, oldest first (the first wave, then each step),
   * or the first failure. A new list at each step: the sales that stopped keep the one they read.
   */
  days: IndexedReportDay[];
  failure: Error | null;
}

interface SaleSearch {
  sale: SaleShape;
  subject: MoneySubject;
  shared: SharedPlan;
  /** The shared plan's days as they were when this sale stopped searching. */
  days: IndexedReportDay[];
  failure: Error | null;
}

/** Dates read once for a whole page, by ledger, then by date: no key is built per sale. */
class PageReads {
  /** Each date asked for, with what it read once the wave it was asked in is done (undefined until then). */
  private readonly byLedger = new Map<string, Map<string, IndexedReportDay | Error | undefined>>();

  constructor(
    private readonly context: Context,
    private readonly topic: Topic,
  ) {}

  get(ledgerId: string, date: string): IndexedReportDay | Error | undefined {
    return this.byLedger.get(ledgerId)?.get(date);
  }

  /** Reads every date of `wanted` not asked for yet, in one wave. */
  async readAll(wanted: Iterable<readonly [ledgerId: string, dates: readonly string[]]>): Promise<void> {
    const fresh: Array<Promise<void>> = [];
    for (const [ledgerId, dates] of wanted) {
      const read = entryOf(this.byLedger, ledgerId, () => new Map<string, IndexedReportDay | Error | undefined>());
      for (const date of dates) {
        if (read.has(date)) continue;
        read.set(date, undefined);
        const day = this.context.report.day.load({ ledgerId, topic: this.topic, date });
        fresh.push(day.catch(asError).then((found) => void read.set(date, found)));
      }
    }
    await Promise.all(fresh);
  }
}

async function searchPageAccount(context: Context, sales: readonly SaleShape[], topic: Topic, reach: Reach): Promise<void> {
  const known = searchesOf(context, topic, reach);
  const subjects: Array<{ sale: SaleShape; subject: MoneySubject }> = [];
  for (const sale of sales) {
    const subject = known.has(sale) ? null : sale.subject;
    if (subject !== null) subjects.push({ sale, subject });
  }
  if (subjects.length === 0) return;
  const { searches, plans } = await planAll(context, subjects, topic, reach);
  const reads = new PageReads(context, topic);

  // The first wave: each shared plan's dates once, taken once per plan, not once per sale.
  await reads.readAll([...plans].map((shared) => [shared.ledgerId, shared.first] as const));
  for (const shared of plans) {
    for (const date of shared.first) {
      const day = reads.get(shared.ledgerId, date);
      if (day instanceof Error) {
        shared.failure = day;
        break;
      }
      if (day !== undefined) shared.days.push(day);
    }
  }
  for (const search of searches) search.failure = search.shared.failure;

  // A sale's own funds beyond the dates named: the next date only while it is still missing (see history.ts, bookedFunds).
  // Every sale of a plan still going at a step has read what the plan has read so far.
  for (let step = 0; ; step += 1) {
    const going = searches.filter((search) => search.failure === null && step < search.shared.then.length && !foundAny(search));
    if (going.length === 0) break;
    const plansGoing = new Set(going.map((search) => search.shared));
    await reads.readAll([...plansGoing].map((shared) => [shared.ledgerId, [shared.then[step] ?? '']] as const));
    for (const shared of plansGoing) {
      const day = reads.get(shared.ledgerId, shared.then[step] ?? '');
      if (day instanceof Error) shared.failure = day;
      else if (day !== undefined) shared.days = [...shared.days, day].sort(byDate);
    }
    for (const search of going) {
      search.failure = search.shared.failure;
      search.days = search.shared.days;
    }
  }

  for (const search of searches) {
    known.set(search.sale, remembered(search.failure ?? foundIn(search.subject, topic, search.shared.plan, search.days)));
  }
}

const byDate = (a: IndexedReportDay, b: IndexedReportDay) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

function foundAny(search: SaleSearch): boolean {
  for (const day of search.days) if (matching(day, search.subject.key).length > 0) return true;
  return false;
}

/**
 * Each sale's plan, as its own search makes it. Sales without a mirror location on the same
 * dates share one, found through nested maps of the strings the sales already hold (building a
 * key string per sale and date was about half of a warm page's search).
 */
async function planAll(
  context: Context,
  subjects: ReadonlyArray<{ sale: SaleShape; subject: MoneySubject }>,
  topic: Topic,
  reach: Reach,
): Promise<{ searches: SaleSearch[]; plans: Set<SharedPlan> }> {
  const newest = new Map<string, string>();
  for (const { subject } of subjects) {
    if (!newest.has(subject.ledgerId)) newest.set(subject.ledgerId, await newestDateOf(context, subject.ledgerId));
  }
  // Without a mirror every location is unknown: nothing to ask per sale.
  const locations = context.report.mirrored ? await Promise.all(subjects.map(({ subject }) => locationOf(context, subject, topic))) : [];
  const shared = new Map<string, Map<string, Map<string, SharedPlan>>>();
  const plans = new Set<SharedPlan>();
  const searches: SaleSearch[] = [];
  subjects.forEach(({ sale, subject }, index) => {
    const location = locations[index] ?? null;
    const byTo = location === null ? entryOf(entryOf(shared, subject.ledgerId, newPlansByFrom), subject.from, newPlansByTo) : null;
    let planned = byTo?.get(subject.to);
    if (planned === undefined) {
      const plan = planFor(context, location, subject.from, subject.to, reach, newest.get(subject.ledgerId) ?? '');
      const [first, then] = ownFundsFirst(plan, location, topic, reach);
      planned = { ledgerId: subject.ledgerId, plan, first, then, days: [], failure: null };
      byTo?.set(subject.to, planned);
      plans.add(planned);
    }
    searches.push({ sale, subject, shared: planned, days: planned.days, failure: null });
  });
  return { searches, plans };
}

// Made once, not a closure per sale.
const newPlansByFrom = () => new Map<string, Map<string, SharedPlan>>();
const newPlansByTo = () => new Map<string, SharedPlan>();

/** The dates read at once and those read one by one, as the sale's own search splits them. */
function ownFundsFirst(plan: SearchPlan, location: MirrorLocation | null, topic: Topic, reach: Reach): [first: string[], then: string[]] {
  if (reach.kind !== 'booking' || topic !== 'funds') return [plan.dates, []];
  const named = new Set(location?.dates);
  return [plan.dates.filter((date) => named.has(date)), plan.dates.filter((date) => !named.has(date))];
}

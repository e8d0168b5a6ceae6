import type { MirrorLocation } from '../../sources/report/client.ts';
import type { IndexedReportDay } from '../../sources/report/loaders.ts';
import type { Topic } from '../../sources/report/models.ts';
import { entryOf } from '../../kernel/memo.ts';
import { asError } from '../../sources/batching.ts';
import type { Context } from '../context.ts';
import { foundIn, isSearched, locationOf, matching, newestDateOf, rememberSearch } from './history.ts';
import { planSearch, type Reach, type SearchPlan } from './search-plan.ts';
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
  const subjects = sales.flatMap((sale) => {
    const subject = isSearched(sale, topic, reach) ? null : saleSubject(sale);
    return subject === null ? [] : [{ sale, subject }];
  });
  if (subjects.length === 0) return;
  const searches = await planAll(context, subjects, topic, reach);

  const reads = new Map<string, Promise<IndexedReportDay | Error>>();
  const read = (ledgerId: string, date: string) =>
    entryOf(reads, `${ledgerId}/${date}`, () => context.report.day.load({ ledgerId, topic, date }).catch(asError));
  const take = (search: SaleSearch, day: IndexedReportDay | Error) => {
    if (search.failure !== null) return;
    if (day instanceof Error) search.failure = day;
    else search.days.push(day);
  };

  await Promise.all(searches.map(async (search) => {
    for (const day of await Promise.all(search.first.map((date) => read(search.subject.ledgerId, date)))) take(search, day);
  }));
  // A sale's own funds beyond the dates named: the next date only while it is still missing (see history.ts, bookedFunds).
  for (let step = 0; ; step += 1) {
    const going = searches.filter((search) => search.failure === null && step < search.then.length && !search.days.some((day) => matching(day, search.subject.key).length > 0));
    if (going.length === 0) break;
    await Promise.all(going.map(async (search) => take(search, await read(search.subject.ledgerId, search.then[step] ?? ''))));
  }

  for (const search of searches) {
    search.days.sort((a, b) => a.date.localeCompare(b.date));
    rememberSearch(search.sale, topic, reach, search.failure ?? foundIn(search.subject, topic, search.plan, search.days));
  }
}

/** Each sale's plan, as its own search makes it; sales without a mirror location on the same dates share one. */
async function planAll(context: Context, subjects: ReadonlyArray<{ sale: SaleShape; subject: MoneySubject }>, topic: Topic, reach: Reach): Promise<SaleSearch[]> {
  const newest = new Map<string, string>();
  for (const ledgerId of new Set(subjects.map(({ subject }) => subject.ledgerId))) newest.set(ledgerId, await newestDateOf(context, ledgerId));
  const locations = await Promise.all(subjects.map(({ subject }) => locationOf(context, subject, topic)));
  const shared = new Map<string, SearchPlan>();
  return subjects.map(({ sale, subject }, index) => {
    const location = locations[index] ?? null;
    const planned = () => planSearch(location, subject.from, subject.to, reach, newest.get(subject.ledgerId) ?? '');
    const plan = location === null ? entryOf(shared, `${subject.ledgerId}/${subject.from}/${subject.to}`, planned) : planned();
    const [first, then] = ownFundsFirst(plan, location, topic, reach);
    return { sale, subject, plan, first, then, days: [], failure: null };
  });
}

/** The dates read at once and those read one by one, as the sale's own search splits them. */
function ownFundsFirst(plan: SearchPlan, location: MirrorLocation | null, topic: Topic, reach: Reach): [string[], string[]] {
  if (reach.kind !== 'booking' || topic !== 'funds') return [plan.dates, []];
  const named = new Set(location?.dates);
  return [plan.dates.filter((date) => named.has(date)), plan.dates.filter((date) => !named.has(date))];
}

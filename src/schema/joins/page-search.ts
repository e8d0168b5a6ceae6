import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { bookingDates } from '../../kernel/booking-window.ts';
import type { IndexedReportDay } from '../../sources/report/loaders.ts';
import type { ReportEntry, Topic } from '../../sources/report/models.ts';
import type { Context } from '../context.ts';
import { afterAnOpenDate, movements, searchDates, type ReportSearch } from './report-side.ts';
import type { SaleShape } from './shapes.ts';

/*
 * The searches of `findFunds` and `findFees` for a whole page of sales at once, so that each
 * sale's `captures` and `fees` are then a plain lookup rather than a chain of promises per sale
 * and field (on a page of 200 sales those promises cost more than the join itself). The reads
 * are exactly those of the per-sale searches: sales with the same dates to search walk them
 * together, a date is read while any of them still needs it, and a date after an open one is
 * skipped, as for one sale.
 */

type Searches = Map<SaleShape, ReportSearch>;

/** What the page search found for each sale; sale shapes are made per request, so this never outlives one. */
const searched: Record<Topic, WeakMap<SaleShape, ReportSearch>> = { funds: new WeakMap(), fees: new WeakMap() };

/** The page search's answer for the sale, if its page was searched (and the search succeeded). */
export function pageSearchOf(sale: SaleShape, topic: Topic): ReportSearch | undefined {
  return searched[topic].get(sale);
}

/**
 * Searches the page's sales on each account asked for. A failed read leaves nothing behind: the
 * per-sale searches then answer each field with its error, from the same loaders (which keep
 * the failure), so the answer and the upstream calls are those of the per-sale path.
 */
export async function searchPage(context: Context, sales: readonly SaleShape[], topics: readonly Topic[]): Promise<void> {
  await Promise.all(
    topics.map(async (topic) => {
      const found = await searchTopic(context, sales, topic).catch(() => null);
      if (found !== null) for (const [sale, search] of found) searched[topic].set(sale, search);
    }),
  );
}

async function searchTopic(context: Context, sales: readonly SaleShape[], topic: Topic): Promise<Searches> {
  const found: Searches = new Map();
  const withReference = sales.filter((sale) => sale.entry.pspReference !== null);
  for (const sale of sales) if (sale.entry.pspReference === null) found.set(sale, { movements: [], foundOn: null, checked: [] });
  const dateLists = await Promise.all(withReference.map((sale) => searchDates(context, sale, topic)));
  const groups = new Map<string, { dates: string[]; sales: SaleShape[] }>();
  withReference.forEach((sale, index) => {
    const dates = dateLists[index] ?? [];
    const key = `${sale.ledgerId}/${dates.join(',')}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { dates, sales: [] }));
    group.sales.push(sale);
  });
  await Promise.all([...groups.values()].map((group) => searchGroup(context, group.dates, group.sales, topic, found)));
  return found;
}

/** Walks one list of dates for sales of one ledger; see `findFunds` and `findFees` for the rules. */
async function searchGroup(context: Context, dates: readonly string[], sales: SaleShape[], topic: Topic, found: Searches): Promise<void> {
  const ledgerId = sales[0]?.ledgerId ?? '';
  const checked: IndexedReportDay[] = [];
  const fees = new Map<SaleShape, ReportEntry[]>();
  let pending = sales;
  for (const date of dates) {
    if (pending.length === 0) break;
    if (afterAnOpenDate(date, checked)) continue;
    const day = await context.report.day.load({ ledgerId, topic, date });
    checked.push(day);
    if (topic === 'fees') {
      for (const sale of pending) entriesOn(day, sale).forEach((entry) => fees.set(sale, [...(fees.get(sale) ?? []), entry]));
      continue;
    }
    // A sale has one funds entry: it stops at the first date that has it.
    const upTo = [...checked];
    pending = pending.filter((sale) => {
      const entries = entriesOn(day, sale);
      if (entries.length === 0) return true;
      found.set(sale, { movements: movements(ledgerId, topic, entries), foundOn: day, checked: upTo });
      return false;
    });
  }
  for (const sale of pending) found.set(sale, { movements: movements(ledgerId, topic, fees.get(sale) ?? []), foundOn: null, checked });
}

function entriesOn(day: IndexedReportDay, sale: SaleShape): readonly ReportEntry[] {
  return sale.entry.pspReference === null ? [] : (day.byPspReference.get(sale.entry.pspReference) ?? []);
}

/**
 * Starts reading the Report date a page of `salesDate` searches first (the date itself, see
 * `bookingDates`), so that it arrives in the same wave as the Sales date instead of in a wave
 * after it. Only without a feed mirror, where that is the date every sale with a pspReference
 * is looked for on first: on any day that has such a sale (all but an empty or all-cash day)
 * the searches read it anyway. The next date is left to the searches: it is read only when the
 * first is closed, which only its answer tells. The searches then find the read in the loader;
 * a failed read is answered there, by the field that needs it.
 */
export function readAheadForPage(context: Context, ledgerId: string, salesDate: string, topics: readonly Topic[]): void {
  if (context.report.mirrored) return;
  const [date] = bookingDates(salesDate);
  if (date === undefined) return;
  for (const topic of topics) context.report.day.load({ ledgerId, topic, date }).catch(() => undefined);
}

/** The accounts whose joins the document asks of the connection's sales (`edges { node { … } }`). */
export function topicsAskedOfSales(info: GraphQLResolveInfo): Topic[] {
  const asked = new Set<string>();
  for (const connection of info.fieldNodes) {
    for (const edges of fieldsNamed(connection.selectionSet, 'edges', info.fragments)) {
      for (const node of fieldsNamed(edges.selectionSet, 'node', info.fragments)) {
        for (const field of fieldsNamed(node.selectionSet, null, info.fragments)) asked.add(field.name.value);
      }
    }
  }
  const topics: Topic[] = [];
  if (asked.has('captures') || asked.has('moneyMovements') || asked.has('settlement')) topics.push('funds');
  if (asked.has('fees') || asked.has('moneyMovements')) topics.push('fees');
  return topics;
}

/** The fields of a selection named `name` (every field when null), through fragments. */
function fieldsNamed(selections: SelectionSetNode | undefined, name: string | null, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selections?.selections ?? []) {
    // Conditional (`@include`, `@skip`): left to the per-sale searches, which run only if it is included.
    if ((selection.directives?.length ?? 0) > 0) continue;
    if (selection.kind === 'Field') {
      if (name === null || selection.name.value === name) fields.push(selection);
    } else if (selection.kind === 'InlineFragment') {
      fields.push(...fieldsNamed(selection.selectionSet, name, fragments));
    } else {
      fields.push(...fieldsNamed(fragments[selection.name.value]?.selectionSet, name, fragments));
    }
  }
  return fields;
}

import type { Reconciliation } from '../../bookkeeping/reconcile.ts';
import { entryOf } from '../../kernel/memo.ts';
import type { MirrorLocation } from '../../sources/report/client.ts';
import type { Context } from '../context.ts';
import { newestDateOf, planFor } from './history.ts';
import type { SearchPlan } from './search-plan.ts';

/**
 * What a reconciliation can claim about its sales' money, by the search plan `Sale.settlement`
 * uses: the booking window of the dates reconciled (each date and the next), and, where the feed
 * mirror holds the ledger, every date it names for those sales. A date's sales ask the mirror in
 * one batch; without the mirror nothing more is read.
 */

export interface ReconciledOn {
  ledgerId: string;
  data: Reconciliation;
}

const plans = new WeakMap<object, Promise<SearchPlan>>();

/** The plan of one reconciliation of this request, worked out once however many fields ask. */
export function reconciliationPlan(context: Context, shape: ReconciledOn): Promise<SearchPlan> {
  return entryOf(plans, shape.data, () => planOf(context, shape));
}

async function planOf(context: Context, { ledgerId, data }: ReconciledOn): Promise<SearchPlan> {
  const first = data.dates[0];
  const last = data.dates.at(-1);
  if (first === undefined || last === undefined) throw new RangeError('a reconciliation without dates');
  const pspReferences = [...data.sales, ...data.earlierSales].flatMap((item) => (item.sale.pspReference ? [item.sale.pspReference] : []));
  const [newest, locations] = await Promise.all([
    newestDateOf(context, ledgerId),
    Promise.all(pspReferences.map((pspReference) => context.report.located.load({ ledgerId, topic: 'funds', pspReference }))),
  ]);
  return planFor(context, mergedLocation(locations), first, last, { kind: 'booking' }, newest);
}

/**
 * Where the mirror holds any of the sales' entries; null (the date window alone) when it does not
 * hold the ledger, or there are no sales to ask it about.
 */
function mergedLocation(locations: ReadonlyArray<MirrorLocation | null>): MirrorLocation | null {
  if (locations.length === 0 || locations.includes(null)) return null;
  const known = locations as MirrorLocation[];
  const horizons = known.map((location) => location.horizon).filter((horizon) => horizon !== null).sort();
  return { dates: [...new Set(known.flatMap((location) => location.dates))].sort(), horizon: horizons[0] ?? null };
}

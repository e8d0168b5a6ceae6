import { bookingDates } from '../kernel/booking-window.ts';
import type { ReportEntry } from '../sources/report/models.ts';
import type { SalesEntry } from '../sources/sales/models.ts';
import { isDisputeKind, movementKindOf, type MovementKind } from '../kernel/movement-kinds.ts';
import { addExact, sumExact } from '../kernel/exact.ts';
import { beforeAllSalesData } from '../kernel/sales-availability.ts';
import type { AccountDay, SalesDate } from './reader.ts';
import { grossOf } from './vat.ts';

/**
 * Sales against money movements over consecutive ledger dates (one date, or the dates a payout
 * covers). The sales sold on those dates are matched on pspReference with the capture or
 * refund entries booked on them; a sale booked past the cut-off is found on the date after, and
 * a movement on the first date may belong to a sale of the date before. Every funds entry of
 * the dates ends up either with its sale or in `movementsWithoutSale`, so nothing is lost.
 */

export type SaleOutcome = 'MATCHED' | 'BOOKED_NEXT_DATE' | 'AMOUNT_MISMATCH' | 'PENDING' | 'UNMATCHED';
export type WithoutSaleReason = 'API_PAYMENT' | 'SALES_DATA_NOT_AVAILABLE' | 'LEDGER_ENTRY' | 'DISPUTE' | 'ADJUSTMENT';

export interface ReconciledSale {
  sale: SalesEntry;
  salesDate: string;
  outcome: SaleOutcome;
  /** Its capture or refund entry; null when none was found. */
  movement: ReportEntry | null;
  /** The ledger date that entry was read from. */
  movementDate: string | null;
}

/** A capture or refund booked on the dates for a sale of the date before (past the cut-off). */
export interface EarlierSale {
  sale: SalesEntry;
  salesDate: string;
  outcome: 'MATCHED' | 'AMOUNT_MISMATCH';
  movement: ReportEntry;
}

export interface MovementWithoutSale {
  movement: ReportEntry;
  /** Why no sale is expected; null when one is, and is missing. */
  reason: WithoutSaleReason | null;
}

export interface ReconcileInput {
  /** Consecutive ledger dates, oldest first. */
  dates: readonly string[];
  /** The funds account on each of `dates`, then on the date after the last. */
  funds: readonly AccountDay[];
  fundsAfter: AccountDay;
  /** The Sales API on each of `dates`, and on the date before the first. */
  sales: readonly SalesDate[];
  salesBefore: SalesDate;
}

export interface ReconciliationTotals {
  /** Gross of the sales that move money (cash left out). */
  salesGross: number;
  /** What their movements booked, wherever found (the dates, or the date after). */
  bookedForSales: number;
  /** `bookedForSales − salesGross` = mismatch difference − pending gross − unmatched gross. */
  difference: number;
  mismatchDifference: number;
  pendingGross: number;
  unmatchedGross: number;
  /** The part of `bookedForSales` booked on the date after the dates. */
  bookedOnNextDate: number;
  earlierSalesAmount: number;
  withoutSaleAmount: number;
  unexpectedAmount: number;
  /** Every funds entry on the dates: the change of the funds balance over them. */
  movementsAmount: number;
}

export interface Reconciliation {
  dates: string[];
  /** Every date read is closed: nothing can change any more. */
  isFinal: boolean;
  sales: ReconciledSale[];
  cashSales: Array<{ sale: SalesEntry; salesDate: string }>;
  earlierSales: EarlierSale[];
  movementsWithoutSale: MovementWithoutSale[];
  totals: ReconciliationTotals;
}

const saleKinds: ReadonlySet<MovementKind> = new Set(['CAPTURE', 'REFUND']);
const ledgerKinds: ReadonlySet<MovementKind> = new Set(['PAYOUT_SCHEDULED', 'PAYOUT_ABORTED', 'FEES_RETAINED', 'FEES_INVOICED', 'TOP_UP']);

interface Booked {
  entry: ReportEntry;
  date: string;
  onDates: boolean;
}

/** The first capture or refund entry of each pspReference; duplicates stay unclaimed. */
function indexSaleMovements(days: readonly AccountDay[], onDates: boolean, index: Map<string, Booked>): void {
  for (const day of days) {
    for (const entry of day.entries) {
      const psp = entry.pspReference;
      if (psp && saleKinds.has(movementKindOf(entry.entryType)) && !index.has(psp)) index.set(psp, { entry, date: day.date, onDates });
    }
  }
}

function outcomeOf(sale: SalesEntry, booked: Booked | undefined, canStillArrive: boolean): SaleOutcome {
  if (booked === undefined) return canStillArrive ? 'PENDING' : 'UNMATCHED';
  if (booked.entry.amount !== grossOf(sale)) return 'AMOUNT_MISMATCH';
  return booked.onDates ? 'MATCHED' : 'BOOKED_NEXT_DATE';
}

/**
 * Why a funds entry has no sale, when none is expected. `ofKnownSale`: its pspReference is a sale
 * that was read (a second booking of it is never expected).
 */
export function reasonWithoutSale(entry: ReportEntry, ofKnownSale = false): WithoutSaleReason | null {
  const kind = movementKindOf(entry.entryType);
  const handle = entry.recipientHandle ?? '';
  if (saleKinds.has(kind)) {
    if (handle.startsWith('api:')) return 'API_PAYMENT';
    // Before the Sales API holds every solution, its sale may be one the Sales API has no data of yet.
    return !ofKnownSale && beforeAllSalesData(entry.time) ? 'SALES_DATA_NOT_AVAILABLE' : null;
  }
  if (isDisputeKind(kind)) return 'DISPUTE';
  if (handle === '' || ledgerKinds.has(kind)) return 'LEDGER_ENTRY';
  return 'ADJUSTMENT';
}

export function reconcile(input: ReconcileInput): Reconciliation {
  const booked = new Map<string, Booked>();
  indexSaleMovements(input.funds, true, booked);
  indexSaleMovements([input.fundsAfter], false, booked);
  const openDates = new Set([...input.funds, input.fundsAfter].filter((day) => !day.isClosed).map((day) => day.date));

  const sales: ReconciledSale[] = [];
  const cashSales: Reconciliation['cashSales'] = [];
  const claimed = new Set<ReportEntry>();
  for (const { date, entries } of input.sales) {
    const canStillArrive = bookingDates(date).some((bookedOn) => openDates.has(bookedOn));
    for (const sale of entries) {
      if (sale.pspReference === null) {
        cashSales.push({ sale, salesDate: date });
        continue;
      }
      const found = booked.get(sale.pspReference);
      if (found !== undefined) claimed.add(found.entry);
      sales.push({
        sale,
        salesDate: date,
        outcome: outcomeOf(sale, found, canStillArrive),
        movement: found?.entry ?? null,
        movementDate: found?.date ?? null,
      });
    }
  }

  const before = new Map(input.salesBefore.entries.flatMap((sale) => (sale.pspReference ? [[sale.pspReference, sale] as const] : [])));
  const knownSales = new Set([...before.keys(), ...sales.map((item) => item.sale.pspReference ?? '')]);
  const earlierSales: EarlierSale[] = [];
  const movementsWithoutSale: MovementWithoutSale[] = [];
  for (const day of input.funds) {
    for (const movement of day.entries) {
      if (claimed.has(movement)) continue;
      const earlier = isFirstOfItsSale(movement, booked) ? before.get(movement.pspReference ?? '') : undefined;
      if (earlier !== undefined) {
        const outcome = movement.amount === grossOf(earlier) ? 'MATCHED' : 'AMOUNT_MISMATCH';
        earlierSales.push({ sale: earlier, salesDate: input.salesBefore.date, outcome, movement });
      } else {
        movementsWithoutSale.push({ movement, reason: reasonWithoutSale(movement, knownSales.has(movement.pspReference ?? '')) });
      }
    }
  }

  return {
    dates: [...input.dates],
    isFinal: openDates.size === 0,
    sales,
    cashSales,
    earlierSales,
    movementsWithoutSale,
    totals: totalsOf(sales, earlierSales, movementsWithoutSale, input),
  };
}

/** A sale has one capture or refund entry: a second one with its pspReference is not its movement. */
function isFirstOfItsSale(movement: ReportEntry, booked: ReadonlyMap<string, Booked>): boolean {
  return movement.pspReference ? booked.get(movement.pspReference)?.entry === movement : false;
}

function totalsOf(
  sales: readonly ReconciledSale[],
  earlierSales: readonly EarlierSale[],
  withoutSale: readonly MovementWithoutSale[],
  { funds, fundsAfter }: Pick<ReconcileInput, 'funds' | 'fundsAfter'>,
): ReconciliationTotals {
  const grossWhere = (outcome: SaleOutcome) => sumExact(sales.filter((item) => item.outcome === outcome), (item) => grossOf(item.sale));
  const salesGross = sumExact(sales, (item) => grossOf(item.sale));
  const bookedForSales = sumExact(sales, (item) => item.movement?.amount ?? 0);
  const mismatches = sales.filter((item) => item.outcome === 'AMOUNT_MISMATCH');
  return {
    salesGross,
    bookedForSales,
    difference: addExact(bookedForSales, -salesGross),
    mismatchDifference: sumExact(mismatches, (item) => addExact(item.movement?.amount ?? 0, -grossOf(item.sale))),
    pendingGross: grossWhere('PENDING'),
    unmatchedGross: grossWhere('UNMATCHED'),
    bookedOnNextDate: sumExact(
      sales.filter((item) => item.movementDate === fundsAfter.date),
      (item) => item.movement?.amount ?? 0,
    ),
    earlierSalesAmount: sumExact(earlierSales, (item) => item.movement.amount),
    withoutSaleAmount: sumExact(withoutSale, (item) => item.movement.amount),
    unexpectedAmount: sumExact(withoutSale.filter((item) => item.reason === null), (item) => item.movement.amount),
    movementsAmount: sumExact(funds.flatMap((day) => day.entries), (entry) => entry.amount),
  };
}

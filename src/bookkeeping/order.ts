import type { ReportEntry, Topic } from '../sources/report/models.ts';
import type { SalesEntry } from '../sources/sales/models.ts';
import { isDisputeKind, movementKindOf } from '../kernel/movement-kinds.ts';
import { sumExact } from '../kernel/exact.ts';
import { grossOf } from './vat.ts';

/**
 * An order's money, exact and signed as the ledger books it: captures positive, refunds and
 * fees negative. What was sold comes from the Sales API; what was booked from the Report API.
 */
export interface OrderTotals {
  captured: number;
  /** Negative, like the refund entries. */
  refunded: number;
  /** `captured + refunded`. */
  net: number;
  /** Every fees entry of the order (capture fees and their corrections). */
  fees: number;
  /** Every funds entry of the order: captures, refunds, disputes, adjustments. */
  booked: number;
  disputed: number;
}

export function orderTotals(sales: readonly SalesEntry[], movements: ReadonlyArray<{ topic: Topic; entry: ReportEntry }>): OrderTotals {
  const captured = sumExact(sales.filter((sale) => sale.entryType === 'capture'), grossOf);
  const refunded = sumExact(sales.filter((sale) => sale.entryType === 'refund'), grossOf);
  const funds = movements.filter((movement) => movement.topic === 'funds');
  const disputes = funds.filter((movement) => isDisputeKind(movementKindOf(movement.entry.entryType)));
  return {
    captured,
    refunded,
    net: sumExact([captured, refunded], (amount) => amount),
    fees: sumExact(movements.filter((movement) => movement.topic === 'fees'), (movement) => movement.entry.amount),
    booked: sumExact(funds, (movement) => movement.entry.amount),
    disputed: sumExact(disputes, (movement) => movement.entry.amount),
  };
}

import { bookingDates, salesDatesBookedOn } from '../kernel/booking-window.ts';
import type { SalesEntry } from '../sources/sales/models.ts';
import type { LedgerReader } from './reader.ts';
import { reconcile, type Reconciliation } from './reconcile.ts';

/** Reads what reconciling the dates needs: their funds and sales, the funds after, the sales before. */
export async function reconcileDates(reader: LedgerReader, dates: readonly string[]): Promise<Reconciliation> {
  const first = dates[0];
  const last = dates[dates.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('no dates to reconcile');
  const [funds, fundsAfter, sales, salesBefore] = await Promise.all([
    Promise.all(dates.map((date) => reader.funds(date))),
    reader.funds(bookingDates(last).at(-1) ?? last),
    Promise.all(dates.map((date) => reader.sales(date))),
    reader.sales(salesDatesBookedOn(first).at(-1) ?? first),
  ]);
  return reconcile({ dates, funds, fundsAfter, sales, salesBefore });
}

/** The sales whose money a set of dates booked: matched on the dates, or sold the date before. */
export function salesBookedOnDates(reconciliation: Reconciliation): Array<{ sale: SalesEntry; salesDate: string }> {
  const dates = new Set(reconciliation.dates);
  const own = reconciliation.sales.filter((item) => item.movementDate !== null && dates.has(item.movementDate));
  return [...reconciliation.earlierSales, ...own];
}

import { salesDatesOfTime } from '../../kernel/booking-window.ts';
import type { ReportEntry, Topic } from '../../sources/report/models.ts';
import type { SalesEntry } from '../../sources/sales/models.ts';

/** A Sales API entry and where it was found, which decides where its money movements are looked for. */
export interface SaleShape {
  ledgerId: string;
  entry: SalesEntry;
  /**
   * The Sales ledger dates the entry can be listed under, most likely first: exactly the one it
   * was read from, or, for a single lookup, dates inferred from its time (see `saleFromLookup`).
   */
  salesDates: string[];
}

/** A Report API entry with the ledger and account it belongs to. */
export interface MoneyMovementShape {
  ledgerId: string;
  topic: Topic;
  entry: ReportEntry;
}

export function saleOnDate(ledgerId: string, salesDate: string, entry: SalesEntry): SaleShape {
  return { ledgerId, entry, salesDates: [salesDate] };
}

/** A sale from a single lookup comes without its ledger date: it is inferred from its time. */
export function saleFromLookup(ledgerId: string, entry: SalesEntry): SaleShape {
  return { ledgerId, entry, salesDates: salesDatesOfTime(entry.time, entry.currency) };
}

/** What a search is for: one pspReference, or one order reference, of what was sold from `from` to `to`. */
export interface MoneySubject {
  ledgerId: string;
  from: string;
  to: string;
  key: { pspReference: string } | { reference: string };
}

/** What a search for a sale's money looks for: its pspReference, from the earliest of its possible dates. Null for cash. */
export function saleSubject(sale: SaleShape): MoneySubject | null {
  const { pspReference } = sale.entry;
  if (pspReference === null) return null;
  // A sale of a page has its one date: no copy to sort.
  const dates = sale.salesDates.length === 1 ? sale.salesDates : [...sale.salesDates].sort();
  return { ledgerId: sale.ledgerId, from: dates[0] ?? '', to: dates.at(-1) ?? '', key: { pspReference } };
}

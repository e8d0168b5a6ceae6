import { addDays, ledgerDateOf } from '../../sources/dates.ts';
import type { ReportEntry, Topic } from '../../sources/report/models.ts';
import type { SalesEntry } from '../../sources/sales/models.ts';
import { toOpenEnum } from '../open-enum.ts';

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

export const movementKinds = [
  'CAPTURE',
  'REFUND',
  'FEES_RETAINED',
  'PAYOUT_SCHEDULED',
  'PAYOUT_ABORTED',
  'RETAINED_DISPUTED_CAPTURE',
  'RETURNED_DISPUTED_CAPTURE',
  'CORRECTION',
  'TOP_UP',
  'CREDIT_NOTE',
  'CAPTURE_FEE',
  'FEES_INVOICED',
  'SERVICE_FEE',
] as const;

export type MovementKind = (typeof movementKinds)[number] | 'UNKNOWN';

/** `scheduled-for-payout` is the 2023 name of `payout-scheduled`; both are still in the wild. */
export function movementKindOf(entryType: string): MovementKind {
  return toOpenEnum(entryType, movementKinds, { 'scheduled-for-payout': 'PAYOUT_SCHEDULED' }) ?? 'UNKNOWN';
}

/**
 * Vipps MobilePay settles NOK in Norway, DKK in Denmark and EUR in Finland, and a ledger date
 * runs on its merchant's wall clock; upstream does not publish a ledger's time zone.
 */
const timeZoneByCurrency: Readonly<Record<string, string>> = {
  NOK: 'Europe/Oslo',
  DKK: 'Europe/Copenhagen',
  EUR: 'Europe/Helsinki',
};

export function saleOnDate(ledgerId: string, salesDate: string, entry: SalesEntry): SaleShape {
  return { ledgerId, entry, salesDates: [salesDate] };
}

/** Latest cut-off hour after midnight that a ledger date is assumed to have. */
const latestCutoffHour = 6;

/**
 * A sale from a single lookup comes without its ledger date. Upstream publishes neither a
 * ledger's time zone nor its cut-off: the zone follows from the currency, and the date is the
 * local date of the sale, or the day before when the sale is early enough in the morning for a
 * cut-off after midnight (04:00 on some ledgers) to have put it there.
 */
export function saleFromLookup(ledgerId: string, entry: SalesEntry): SaleShape {
  const timeZone = timeZoneByCurrency[entry.currency] ?? 'UTC';
  const dates = [ledgerDateOf(entry.time, timeZone), ledgerDateOf(entry.time, timeZone, latestCutoffHour)];
  return { ledgerId, entry, salesDates: [...new Set(dates)] };
}

/**
 * The Report dates that can hold a sale's money movements, most likely first. A capture is on
 * the sale's own date D, or on D+1 when it came past the cut-off; its fees likewise land on D
 * or D+1.
 */
export function reportDatesFor(sale: SaleShape): string[] {
  const [likeliest, ...others] = sale.salesDates;
  if (likeliest === undefined) return [];
  const dates = [likeliest, addDays(likeliest, 1), ...others.flatMap((date) => [date, addDays(date, 1)])];
  return [...new Set(dates)];
}

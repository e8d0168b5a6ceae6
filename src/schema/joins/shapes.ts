import { addDays, ledgerDateOf } from '../../sources/dates.ts';
import type { ReportEntry, Topic } from '../../sources/report/models.ts';
import type { SalesEntry } from '../../sources/sales/models.ts';
import { toOpenEnum } from '../open-enum.ts';

/** A Sales API entry and where it was found, which decides where its money movements are looked for. */
export interface SaleShape {
  ledgerId: string;
  entry: SalesEntry;
  /** The Sales ledger date the entry is listed under. */
  salesDate: string;
  /**
   * False when the sale came from a single lookup and `salesDate` is inferred from its time: the
   * ledger's cut-off hour is not published, so the inferred date can be one late.
   */
  salesDateKnown: boolean;
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
  return { ledgerId, entry, salesDate, salesDateKnown: true };
}

export function saleFromLookup(ledgerId: string, entry: SalesEntry): SaleShape {
  const timeZone = timeZoneByCurrency[entry.currency] ?? 'UTC';
  return { ledgerId, entry, salesDate: ledgerDateOf(entry.time, timeZone), salesDateKnown: false };
}

/**
 * The Report dates that can hold a sale's money movements, most likely first. A capture is on
 * the sale's own date D, or on D+1 when it came past the cut-off. An inferred date can be one
 * late on a ledger with a cut-off after midnight, so D−1 is the last resort there.
 */
export function reportDatesFor(sale: SaleShape): string[] {
  const { salesDate } = sale;
  const dates = [salesDate, addDays(salesDate, 1)];
  return sale.salesDateKnown ? dates : [...dates, addDays(salesDate, -1)];
}

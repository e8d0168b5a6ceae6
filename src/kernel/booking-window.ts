import { addDays, ledgerDateOf } from './calendar.ts';

/**
 * Where a sale's money is booked: the one statement of the rule the joins, reconciliation and
 * the cost estimate rest on. A sale of ledger date D has its capture (or refund) on Report date
 * D, or on D+1 when it came past the cut-off; its fees land on D or D+1 as well. Read the other
 * way, an entry on Report date R belongs to a sale of Sales date R or R−1.
 */

/** How many dates after its sale a capture or fee can be booked. */
export const bookingLagDays = 1;

/** The Report dates that can hold the money of a sale of `salesDate`, most likely first. */
export function bookingDates(salesDate: string): string[] {
  return [salesDate, addDays(salesDate, bookingLagDays)];
}

/** The Sales dates whose sales can be booked on Report date `ledgerDate`, most likely first. */
export function salesDatesBookedOn(ledgerDate: string): string[] {
  return [ledgerDate, addDays(ledgerDate, -bookingLagDays)];
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

export function ledgerTimeZone(currency: string): string {
  return timeZoneByCurrency[currency] ?? 'UTC';
}

/** Latest cut-off hour after midnight that a ledger date is assumed to have. */
const latestCutoffHour = 6;

/**
 * The ledger dates a sale made at `time` can be listed under, most likely first. Upstream
 * publishes neither a ledger's time zone nor its cut-off: the zone follows from the currency,
 * and the date is the local date of the sale, or the day before when the sale is early enough
 * in the morning for a cut-off after midnight (04:00 on some ledgers) to have put it there.
 */
export function salesDatesOfTime(time: string, currency: string): string[] {
  const timeZone = ledgerTimeZone(currency);
  return [...new Set([ledgerDateOf(time, timeZone), ledgerDateOf(time, timeZone, latestCutoffHour)])];
}

import { addDays, datesFrom, ledgerDateOf } from './calendar.ts';
import { Remembered } from './memo.ts';

/**
 * Where a sale's money is booked: the one statement of the rule the joins, reconciliation and
 * the cost estimate rest on. A sale of ledger date D has its capture (or refund) on Report date
 * D, or on D+1 when it came past the cut-off; its fees land on D or D+1 as well (the booking
 * window). Read the other way, an entry on Report date R belongs to a sale of Sales date R or
 * R−1. What comes later (a dispute, a fee correction) can come at any distance: it is found
 * through the feed mirror, or searched for over the history window.
 */

/** How many dates after its sale a capture or fee can be booked. */
export const bookingLagDays = 1;

/**
 * How many dates, its own included, a sale's (or an order's) later entries are searched for
 * without a feed mirror. Disputes, their returns, fee corrections and adjustments come days or
 * weeks later, and upstream promises no limit: beyond the window only the mirror finds them, and
 * an answer says how far it looked (`checkedThrough`) and whether that is everything (`complete`).
 */
export const historyWindowDays = 31;
/** The widest window a caller may ask for. */
export const maxHistoryWindowDays = 62;

/** The Report dates that can hold the money of a sale of `salesDate`, most likely first. */
export function bookingDates(salesDate: string): string[] {
  return [salesDate, addDays(salesDate, bookingLagDays)];
}

/**
 * The dates to read for the entries of a sale (or an order) first sold on `from` and last on
 * `to`: from `from` through `windowDays` dates after `to`, never past `newest` (the newest date
 * there is), and whether that reaches `newest`, so that nothing existing now was left unread.
 */
export function searchWindow(from: string, to: string, windowDays: number, newest: string): { dates: string[]; reachesNewest: boolean } {
  const last = addDays(to, windowDays - 1);
  return { dates: datesFrom(from, last < newest ? last : newest), reachesNewest: last >= newest };
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

/**
 * The newest ledger date of a ledger at `now` (upstream's clock): its local date. A ledger whose
 * cut-off is after midnight is still on the day before for those hours; its newest date is then
 * taken a day late, so a date is called "not begun yet" only when it surely has not.
 */
export function newestLedgerDate(currency: string, now: number): string {
  // Asked on every request, and reading a zone's wall clock is slow: the local date of the
  // zones above changes on a whole minute, so the answer of one minute holds for all of it.
  const minute = Math.floor(now / 60_000);
  return newestDates.get(`${currency}|${minute}`, () => ledgerDateOf(new Date(minute * 60_000).toISOString(), ledgerTimeZone(currency)));
}

const newestDates = new Remembered<string>(64);

/**
 * Reads the wall clock of every ledger time zone once. The process's first time-zone formatter
 * loads the zone data (about 35 ms on our machines): at start-up, not in a caller's first request.
 */
export function loadLedgerTimeZones(now: number = Date.now()): void {
  for (const currency of [...Object.keys(timeZoneByCurrency), '']) newestLedgerDate(currency, now);
}

/** Latest cut-off hour after midnight that a ledger date is assumed to have. */
export const latestCutoffHour = 6;

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

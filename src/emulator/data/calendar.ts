/**
 * Calendar arithmetic for ledger dates. A date is a day number (days since 1970-01-01); a ledger
 * date runs from the cut-off hour to the cut-off hour in the ledger's own time zone.
 *
 * The three zones the emulator uses follow the EU summer-time rule (last Sunday of March to the
 * last Sunday of October, switching at 01:00 UTC), so offsets are computed here rather than
 * through Intl, which is far too slow for hundreds of thousands of sales a year.
 */

export type TimeZone = 'Europe/Oslo' | 'Europe/Copenhagen' | 'Europe/Helsinki';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const STANDARD_OFFSET_MINUTES: Record<TimeZone, number> = {
  'Europe/Oslo': 60,
  'Europe/Copenhagen': 60,
  'Europe/Helsinki': 120,
};

export const dayMs = DAY_MS;
export const hourMs = HOUR_MS;

export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

export function dateString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` naming a real calendar day. */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  return dateString(dayNumber(text)) === text;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  return (day + 4) % 7;
}

export function isLastDayOfMonth(day: number): boolean {
  return new Date((day + 1) * DAY_MS).getUTCDate() === 1;
}

export function monthOf(day: number): number {
  return new Date(day * DAY_MS).getUTCMonth() + 1;
}

export function dayOfMonth(day: number): number {
  return new Date(day * DAY_MS).getUTCDate();
}

/** Summer time of the most recently asked year: calls come in runs within one year. */
let cachedYear = { start: 0, end: -1, summerStart: 0, summerEnd: 0 };

/** UTC instants at which summer time starts and ends in the year of the instant. */
function summerTime(utcMs: number): typeof cachedYear {
  if (utcMs < cachedYear.start || utcMs >= cachedYear.end) {
    const year = new Date(utcMs).getUTCFullYear();
    cachedYear = {
      start: Date.UTC(year, 0, 1),
      end: Date.UTC(year + 1, 0, 1),
      summerStart: lastSundayAt1Utc(year, 3),
      summerEnd: lastSundayAt1Utc(year, 10),
    };
  }
  return cachedYear;
}

function lastSundayAt1Utc(year: number, month: number): number {
  const lastDay = Date.UTC(year, month, 0) / DAY_MS;
  return (lastDay - weekday(lastDay)) * DAY_MS + HOUR_MS;
}

export function offsetMinutes(zone: TimeZone, utcMs: number): number {
  const { summerStart, summerEnd } = summerTime(utcMs);
  const summer = utcMs >= summerStart && utcMs < summerEnd ? 60 : 0;
  return STANDARD_OFFSET_MINUTES[zone] + summer;
}

/** Local wall-clock milliseconds (as if UTC) to the UTC instant; gaps resolve forwards. */
export function localToUtc(zone: TimeZone, localMs: number): number {
  const guess = localMs - STANDARD_OFFSET_MINUTES[zone] * 60_000;
  const offset = offsetMinutes(zone, guess);
  return localMs - offsetMinutes(zone, localMs - offset * 60_000) * 60_000;
}

export function utcToLocal(zone: TimeZone, utcMs: number): number {
  return utcMs + offsetMinutes(zone, utcMs) * 60_000;
}

/** Where ledger dates begin and end: time zone plus cut-off hour. */
export interface LedgerClock {
  timeZone: TimeZone;
  cutoffHour: number;
}

export function ledgerDateOf(clock: LedgerClock, utcMs: number): number {
  return Math.floor((utcToLocal(clock.timeZone, utcMs) - clock.cutoffHour * HOUR_MS) / DAY_MS);
}

/** First UTC instant of a ledger date. */
export function ledgerDateStart(clock: LedgerClock, day: number): number {
  return localToUtc(clock.timeZone, day * DAY_MS + clock.cutoffHour * HOUR_MS);
}

/** Microsecond ISO time as the Report API writes it: `2024-04-05T07:19:26.528092Z`. */
export function reportTime(utcMs: number, micros: number): string {
  const iso = new Date(utcMs).toISOString();
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

/** Whole-second ISO time as the Sales API writes it: `2026-01-19T12:45:00Z`. */
export function salesTime(utcMs: number): string {
  return `${new Date(utcMs).toISOString().slice(0, 19)}Z`;
}

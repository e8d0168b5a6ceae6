import { Remembered } from './memo.ts';

/**
 * Calendar dates as upstream spells them (`YYYY-MM-DD`), with arithmetic done in UTC so that no
 * host time zone or summer-time shift can move a date.
 */

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dayMs = 86_400_000;

/** A request checks and shifts the same few dates once per sale and per entry, thousands of times. */
const isoDates = new Remembered<boolean>(10_000);
const shiftedDates = new Remembered<string>(10_000);

/** A real calendar date in `YYYY-MM-DD` form (no 2026-02-30). */
export function isIsoDate(value: string): boolean {
  // Every YYYY-MM-DD is ten characters long: anything else is not one, and is not remembered.
  if (typeof value !== 'string' || value.length !== 10) return false;
  return isoDates.get(value, () => checkIsoDate(value));
}

function checkIsoDate(value: string): boolean {
  const match = isoDatePattern.exec(value);
  if (match === null) return false;
  const [, year, month, day] = match.map(Number);
  const date = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
  return date.getUTCFullYear() === year && date.getUTCMonth() + 1 === month && date.getUTCDate() === day;
}

function toEpochDay(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.parse(`${date}T00:00:00Z`) / dayMs;
}

function fromEpochDay(epochDay: number): string {
  return new Date(epochDay * dayMs).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return shiftedDates.get(`${date}\u0000${days}`, () => fromEpochDay(toEpochDay(date) + days));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** Every date from `from` to `to`, both included; empty when `to` is before `from`. */
export function datesFrom(from: string, to: string): string[] {
  const count = daysBetween(from, to) + 1;
  return Array.from({ length: Math.max(0, count) }, (_, index) => addDays(from, index));
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
  let format = wallClocks.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
    });
    wallClocks.set(timeZone, format);
  }
  return format;
}

/**
 * The ledger date an instant belongs to: ledger dates run from `cutoffHour` to `cutoffHour` on
 * the ledger's local wall clock (midnight for most, 04:00 for some), so an entry at 02:00 local
 * time on a 04:00 ledger belongs to the day before.
 */
export function ledgerDateOf(isoTime: string, timeZone: string, cutoffHour = 0): string {
  const instant = new Date(isoTime);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`not an ISO time: ${isoTime}`);
  const parts = Object.fromEntries(wallClock(timeZone).formatToParts(instant).map((part) => [part.type, part.value]));
  const localDate = `${parts.year}-${parts.month}-${parts.day}`;
  return Number(parts.hour) < cutoffHour ? addDays(localDate, -1) : localDate;
}

/** The UTC offset of a time zone at an instant, in milliseconds (local wall clock − UTC). */
function offsetAt(instant: number, timeZone: string): number {
  const format = wallClock(timeZone);
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour));
  // The wall clock is read to the hour: the instant's own minutes and seconds are the same on both sides.
  return wall - (instant - (instant % 3_600_000));
}

/**
 * The first instant of ledger date `date` on a ledger whose dates run from `cutoffHour` to
 * `cutoffHour` in `timeZone`, as an ISO time. The inverse of `ledgerDateOf`.
 */
export function ledgerDateStartsAt(date: string, timeZone: string, cutoffHour = 0): string {
  const wall = toEpochDay(date) * dayMs + cutoffHour * 3_600_000;
  // The offset at the wall time read as UTC is right unless a summer-time change lies between: one more step settles it.
  let instant = wall - offsetAt(wall, timeZone);
  instant = wall - offsetAt(instant, timeZone);
  return new Date(instant).toISOString();
}

import { datesFrom, daysBetween } from '../kernel/calendar.ts';

/**
 * Ranges of ledger dates, and what one request may read. A range is at most a year (366 dates:
 * a year-end, or a leap year's VAT periods), checked before anything is read. Every date of a
 * range costs upstream calls (funds, fees, sales) unless the feed mirror holds it, so the cost
 * estimate prices a long range by what it will read and refuses it above the limit; the
 * request's read budget (`sources/read-budget.ts`) bounds what the estimate could not foresee.
 */

export { maxDateReadsPerRequest, ReadBudget } from '../sources/read-budget.ts';

export const maxRangeDays = 366;

/** The dates of a range, or what is wrong with it. */
export function rangeDates(from: string, to: string): { dates: string[] } | { problem: string } {
  const span = daysBetween(from, to) + 1;
  if (span < 1) return { problem: `must not be before \`from\` (${from}); got ${to}` };
  if (span > maxRangeDays) {
    return { problem: `must be at most ${maxRangeDays - 1} days after \`from\` (a range holds at most ${maxRangeDays} dates); got ${span} dates` };
  }
  return { dates: datesFrom(from, to) };
}

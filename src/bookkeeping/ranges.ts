import { datesFrom, daysBetween } from '../kernel/calendar.ts';

/**
 * Ranges of ledger dates, and what one request may read. Every date of a range costs upstream
 * calls (funds, fees, sales), so a range is at most a month, checked before anything is read;
 * the request's read budget (`sources/read-budget.ts`) bounds what ranges nested under a list of
 * ledgers, or walks back to an earlier payout, add up to.
 */

export { maxDateReadsPerRequest, ReadBudget } from '../sources/read-budget.ts';

export const maxRangeDays = 31;

/** The dates of a range, or what is wrong with it. */
export function rangeDates(from: string, to: string): { dates: string[] } | { problem: string } {
  const span = daysBetween(from, to) + 1;
  if (span < 1) return { problem: `must not be before \`from\` (${from}); got ${to}` };
  if (span > maxRangeDays) {
    return { problem: `must be at most ${maxRangeDays - 1} days after \`from\` (a range holds at most ${maxRangeDays} dates); got ${span} dates` };
  }
  return { dates: datesFrom(from, to) };
}

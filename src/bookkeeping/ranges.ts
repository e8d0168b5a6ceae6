import { datesFrom, daysBetween } from '../kernel/calendar.ts';

/**
 * Ranges of ledger dates, and what one request may read. Every date of a range costs upstream
 * calls (funds, fees, sales), so a range is at most a month, checked before anything is read,
 * and a request has a fixed budget of distinct date reads, charged as they are made: ranges
 * nested under a list of ledgers, or walks back to an earlier payout, cannot add up unbounded.
 */

export const maxRangeDays = 31;

/** Distinct (ledger, account, date) reads the bookkeeping views of one request may make. */
export const maxDateReadsPerRequest = 400;

/** The dates of a range, or what is wrong with it. */
export function rangeDates(from: string, to: string): { dates: string[] } | { problem: string } {
  const span = daysBetween(from, to) + 1;
  if (span < 1) return { problem: `must not be before \`from\` (${from}); got ${to}` };
  if (span > maxRangeDays) {
    return { problem: `must be at most ${maxRangeDays - 1} days after \`from\` (a range holds at most ${maxRangeDays} dates); got ${span} dates` };
  }
  return { dates: datesFrom(from, to) };
}

/** Counts distinct reads; a read seen before is free (the request's loaders hold it). */
export class ReadBudget {
  readonly #seen = new Set<string>();

  constructor(readonly limit: number = maxDateReadsPerRequest) {}

  /** False when this read would go over the limit. */
  charge(key: string): boolean {
    if (this.#seen.has(key)) return true;
    if (this.#seen.size >= this.limit) return false;
    this.#seen.add(key);
    return true;
  }

  get used(): number {
    return this.#seen.size;
  }
}

import { test as harness } from '../support/harness.ts';
import { RawLedgers } from './raw.ts';

/**
 * The harness of the bookkeeping suites: the shared one, with a hand-made REST reader of the demo
 * partner's ledgers (`raw`) for the figures the books must show.
 */
export const it = harness.extend('raw', { scope: 'file' }, ({ emulator }) => new RawLedgers(emulator.url, emulator.partner));

export interface DateRange {
  from: string;
  to: string;
  dates: string[];
}

/** Dates cut into ranges of at most 31, the most a range field (`period`, `payouts`, `vatSummary`) takes. */
export function rangesOf(dates: readonly string[]): DateRange[] {
  const ranges: DateRange[] = [];
  for (let start = 0; start < dates.length; start += 31) {
    const range = dates.slice(start, start + 31);
    ranges.push({ from: range[0] ?? '', to: range[range.length - 1] ?? '', dates: range });
  }
  return ranges;
}

import type { LedgerReader } from '../bookkeeping/reader.ts';
import { maxRangeDays, rangeDates } from '../bookkeeping/ranges.ts';
import type { Context } from './context.ts';
import { badInput } from './input-errors.ts';

/**
 * The bookkeeping views read whole ledger dates through the request's loaders, so a date any
 * field of the request already read costs nothing more; the loaders charge each distinct read
 * to the request's budget.
 */
export function ledgerReader(context: Context, ledgerId: string): LedgerReader {
  return {
    ledgerId,
    funds: (date) => context.report.day.load({ ledgerId, topic: 'funds', date }),
    fees: (date) => context.report.day.load({ ledgerId, topic: 'fees', date }),
    sales: (date) => context.sales.day.load({ ledgerId, date }),
  };
}

/** The `from` and `to` arguments of every field that reads a range of ledger dates. */
export const rangeArgs = {
  from: { type: 'Date', required: true, description: 'The first ledger date.' },
  to: { type: 'Date', required: true, description: `The last ledger date, at most ${maxRangeDays - 1} days after \`from\`.` },
} as const;

/** The dates from `from` to `to`, or bad input naming `to`. */
export function checkedRange(from: string, to: string): string[] {
  const range = rangeDates(from, to);
  if ('problem' in range) throw badInput('to', range.problem);
  return range.dates;
}

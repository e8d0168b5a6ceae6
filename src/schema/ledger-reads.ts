import { GraphQLError } from 'graphql';
import { entryOf } from '../kernel/memo.ts';
import type { LedgerReader } from '../bookkeeping/reader.ts';
import { maxRangeDays, rangeDates, ReadBudget } from '../bookkeeping/ranges.ts';
import type { Context } from './context.ts';
import { badInput } from './input-errors.ts';

/**
 * The bookkeeping views read whole ledger dates through the request's loaders, so a date any
 * field of the request already read costs nothing more, and each distinct read is charged to
 * the request's budget.
 */

const budgets = new WeakMap<Context, ReadBudget>();

function charge(context: Context, key: string): void {
  const budget = entryOf(budgets, context, () => new ReadBudget());
  if (budget.charge(key)) return;
  throw new GraphQLError(
    `This request reads more than ${budget.limit} ledger dates (per ledger and account); ask for fewer ledgers or shorter ranges per request.`,
    { extensions: { code: 'COST_LIMIT_EXCEEDED', maxDateReads: budget.limit } },
  );
}

export function ledgerReader(context: Context, ledgerId: string): LedgerReader {
  return {
    ledgerId,
    funds: async (date) => {
      charge(context, `${ledgerId}\u0000funds\u0000${date}`);
      return context.report.day.load({ ledgerId, topic: 'funds', date });
    },
    fees: async (date) => {
      charge(context, `${ledgerId}\u0000fees\u0000${date}`);
      return context.report.day.load({ ledgerId, topic: 'fees', date });
    },
    sales: async (date) => {
      charge(context, `${ledgerId}\u0000sales\u0000${date}`);
      return context.sales.day.load({ ledgerId, date });
    },
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

import type { LedgerReader } from '../bookkeeping/reader.ts';
import { newestLedgerDate } from '../kernel/booking-window.ts';
import type { Ledger } from '../sources/report/models.ts';
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

/**
 * The reader of the views over ranges (`period`, `payouts`, `vatSummary`, `journal`): the closed
 * Report dates the feed mirror holds come from Redis, the rest from the date endpoints as
 * `ledgerReader` reads them. Read both ways a date's entries are the same; the mirror makes a
 * year of them one Redis round trip per account instead of a year of upstream calls.
 */
export function rangeReader(context: Context, ledgerId: string): LedgerReader {
  const direct = ledgerReader(context, ledgerId);
  const { mirrorDay } = context.report;
  return {
    ...direct,
    funds: async (date) => (await mirrorDay.load({ ledgerId, topic: 'funds', date })) ?? direct.funds(date),
    fees: async (date) => (await mirrorDay.load({ ledgerId, topic: 'fees', date })) ?? direct.fees(date),
  };
}

/** What a range that costs too much says to do instead (the refusal of the cost estimate). */
export const narrowerRange =
  'Ask for a narrower range (`to` closer to `from`), or, for the Report accounts, run the gateway with the feed mirror ' +
  '(`SYNC_IN_PROCESS=true`, or `npm run sync` beside it) so that closed dates are read from Redis.';

/** The `from` and `to` arguments of every field that reads a range of ledger dates. */
export const rangeArgs = {
  from: { type: 'Date', required: true, description: 'The first ledger date.' },
  to: {
    type: 'Date',
    required: true,
    description: `The last ledger date, at most ${maxRangeDays - 1} days after \`from\` (a range holds at most ${maxRangeDays} dates).`,
  },
} as const;

/**
 * The date of an argument when it has begun on the ledger. A date after the ledger's newest date
 * (by upstream's clock, in the ledger's time zone) has no entries and no balance yet: it is bad
 * input naming the argument, not an empty open date.
 */
export function checkedDate(context: Context, ledger: Ledger, argument: string, date: string): string {
  const newest = newestLedgerDate(ledger.currency, context.upstreamNow());
  if (date > newest) {
    throw badInput(argument, `is a date that has not begun on ledger ${JSON.stringify(ledger.ledgerId)}, whose newest ledger date is ${newest}; got ${date}`);
  }
  return date;
}

/** The dates from `from` to `to`, or bad input naming `to` (past the range limit, or not begun). */
export function checkedRange(context: Context, ledger: Ledger, from: string, to: string): string[] {
  const range = rangeDates(from, to);
  if ('problem' in range) throw badInput('to', range.problem);
  checkedDate(context, ledger, 'to', to);
  return range.dates;
}

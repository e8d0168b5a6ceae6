import { findPayout, payoutPeriodWindowDays, payoutSearchReads, payoutsBetween, payoutsOn, type Payout as PayoutData } from '../../bookkeeping/payouts.ts';
import { costOf, rangeDays } from '../cost.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { newestDateOf } from '../joins/history.ts';
import { badInput } from '../input-errors.ts';
import { checkedDate, checkedRange, ledgerReader, narrowerRange, rangeArgs, rangeReader } from '../ledger-reads.ts';
import type { LedgerReader } from '../../bookkeeping/reader.ts';
import { NotFoundError } from './errors.ts';
import { Ledger } from './ledger.ts';
import { Payout, PayoutShape } from './payout.ts';

/**
 * A payout by its number: where the feed mirror covers the ledger, the dates its id is on; else
 * a search back from `near` (see `findPayout`), which upstream's lack of a payout lookup makes a
 * search by dates.
 */
async function payoutByNumber(context: Context, reader: LedgerReader, payoutNumber: string, near: string): Promise<PayoutData | null> {
  const payoutId = `${reader.ledgerId}-${payoutNumber}`;
  const located = await context.report.located.load({ ledgerId: reader.ledgerId, topic: 'funds', pspReference: payoutId });
  for (const date of located?.dates ?? []) {
    const payout = payoutsOn(reader.ledgerId, await reader.funds(date)).find((candidate) => candidate.payoutId === payoutId);
    if (payout !== undefined) return payout;
  }
  return findPayout(reader, payoutNumber, near);
}

builder.objectFields(Ledger, (t) => ({
  payouts: t.field({
    extensions: costOf((c) => {
      const dates = rangeDays(c.args);
      c.reads(c.upstreamReportDates(dates));
      c.payoutsOn(dates + payoutPeriodWindowDays, c.upstreamReportDates(dates + payoutPeriodWindowDays));
      c.lists(dates);
      c.advise(narrowerRange);
    }),
    type: [Payout],
    nullable: true,
    description:
      'The payouts scheduled on the ledger dates from `from` to `to` (at most 366 dates), oldest first. With the feed mirror ' +
      'the closed dates are read from it and cost nothing upstream.',
    args: {
      from: t.arg(rangeArgs.from),
      to: t.arg(rangeArgs.to),
    },
    resolve: async (ledger, args, context) => {
      const reader = rangeReader(context, ledger.ledgerId);
      const payouts = await payoutsBetween(reader, checkedRange(context, ledger, args.from, args.to));
      return payouts.map((payout) => new PayoutShape(payout, reader));
    },
  }),
  payout: t.field({
    extensions: costOf((c) => {
      c.reads(payoutSearchReads);
      c.payoutsOn(payoutPeriodWindowDays);
    }),
    type: Payout,
    nullable: true,
    description:
      'One payout by its number. Where the feed mirror covers the ledger it is found at any distance; otherwise it is searched ' +
      `for back from \`near\` (the newest ledger date unless given), probing by how payout numbers count up, at most ${payoutSearchReads} ` +
      'dates read (upstream has no payout lookup). Answers `NotFoundError` when it was not found.',
    errors: { types: [NotFoundError], union: { name: 'PayoutResult', description: 'The payout, or why there is none.' } },
    args: {
      payoutNumber: t.arg.string({ required: true, description: 'The payout number (e.g. `2000023`), or the payout id `<ledgerId>-<number>`.' }),
      near: t.arg({ type: 'Date', required: false, description: 'A date on or after the payout (the bank-statement date is best); the newest ledger date unless given.' }),
    },
    resolve: async (ledger, args, context) => {
      const number = args.payoutNumber.startsWith(`${ledger.ledgerId}-`) ? args.payoutNumber.slice(ledger.ledgerId.length + 1) : args.payoutNumber;
      if (!/^\d{1,30}$/.test(number)) throw badInput('payoutNumber', `must be a payout number of digits or \`${ledger.ledgerId}-<number>\`; got ${JSON.stringify(args.payoutNumber)}`);
      // Left out, `near` is today: tomorrow the same document asks about other dates.
      if (args.near == null) context.reads.lasting.note('changing', 'payout near today');
      const near = args.near == null ? await newestDateOf(context, ledger.ledgerId) : checkedDate(context, ledger, 'near', args.near);
      const reader = ledgerReader(context, ledger.ledgerId);
      const payout = await payoutByNumber(context, reader, number, near);
      if (payout === null) {
        const message = `No payout ${number} on ledger ${JSON.stringify(ledger.ledgerId)} was found scheduled on or before ${near}.`;
        throw new NotFoundError('Payout', number, message);
      }
      return new PayoutShape(payout, reader);
    },
  }),
}));

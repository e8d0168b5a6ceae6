import { nextPayoutFrom, payoutAbortWindowDays, payoutPeriodWindowDays } from '../../bookkeeping/payouts.ts';
import { entryOf } from '../../kernel/memo.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { costOf } from '../cost.ts';
import { newestDateOf } from '../joins/history.ts';
import { saleOwnMovement } from '../joins/sale-money.ts';
import { ledgerReader } from '../ledger-reads.ts';
import { MoneyMovement } from './money-movement.ts';
import { Payout, PayoutShape } from './payout.ts';
import { Sale } from './sale.ts';

/** How many aborted payouts in a row are followed to the one that paid their money again. */
const repaymentsFollowed = 2;

/**
 * The payout that pays the funds booked on `ledgerDate`: a payout covers the consecutive dates
 * since the previous one and ends with its own date, so it is the first `payout-scheduled` on or
 * after that date. When that payout was aborted, its money went out with the next one, so the
 * payout that repaid it is followed (`Payout.status` says ABORTED when none has yet). Null while
 * no payout has been scheduled since the date (within the payout window).
 */
async function payoutPaying(context: Context, ledgerId: string, ledgerDate: string): Promise<PayoutShape | null> {
  const reader = ledgerReader(context, ledgerId);
  const first = await nextPayoutFrom(reader, ledgerDate, await newestDateOf(context, ledgerId));
  if (first === null) return null;
  let shape = new PayoutShape(first, reader);
  for (let step = 0; step < repaymentsFollowed; step++) {
    const { repaidBy } = await shape.fate(context);
    if (repaidBy === null) break;
    shape = new PayoutShape(repaidBy, reader);
  }
  return shape;
}

const byRequest = new WeakMap<Context, Map<string, Promise<PayoutShape | null>>>();

/** The payout paying a ledger date, worked out once per request: every sale of a date shares it (and its fate). */
export function payoutOfDate(context: Context, ledgerId: string, ledgerDate: string): Promise<PayoutShape | null> {
  const dates = entryOf(byRequest, context, () => new Map<string, Promise<PayoutShape | null>>());
  return entryOf(dates, `${ledgerId}\u0000${ledgerDate}`, () => payoutPaying(context, ledgerId, ledgerDate));
}

/**
 * Upper bound of the dates a payout join reads: forward to the next payout, its abort window, and
 * forward again for each repayment followed. Every sale of a page shares these dates.
 */
const payoutJoinReads = payoutPeriodWindowDays + repaymentsFollowed * (payoutAbortWindowDays + payoutPeriodWindowDays);

const howFound =
  'It is the first payout scheduled on or after the ledger date of the money (a payout covers the dates since the previous ' +
  'one, its own date last); when that payout was aborted, the later payout that paid its money again. Null while no payout ' +
  `has been scheduled since that date (looked for at most ${payoutPeriodWindowDays} dates on). Ask for \`status\` to know ` +
  'whether it reached the bank. Cost: the funds dates from the money\'s date to the payout and its abort window, shared ' +
  'by every sale and movement of the request.';

builder.objectFields(Sale, (t) => ({
  payout: t.field({
    extensions: costOf((c) => {
      c.chargeJoins(['funds']);
      c.reads(payoutJoinReads);
      c.payoutsOn(payoutPeriodWindowDays);
    }),
    type: Payout,
    nullable: true,
    description: `The payout that paid this sale's capture (or took its refund). ${howFound} Null for cash, and for a sale whose capture is not booked yet.`,
    resolve: async (sale, _args, context) => {
      const booked = await saleOwnMovement(context, sale);
      return booked === null ? null : payoutOfDate(context, sale.ledgerId, booked.entry.ledgerDate);
    },
  }),
}));

builder.objectFields(MoneyMovement, (t) => ({
  payout: t.field({
    extensions: costOf((c) => {
      c.reads(payoutJoinReads);
      c.payoutsOn(payoutPeriodWindowDays);
    }),
    type: Payout,
    nullable: true,
    description:
      `The payout that paid out (or took) this funds entry. ${howFound} Null on the fees account: fees reach a payout as ` +
      'the `fees-retained` funds entry of their date (net settlement), or not at all (invoiced).',
    resolve: (movement, _args, context) =>
      movement.topic === 'funds' ? payoutOfDate(context, movement.ledgerId, movement.entry.ledgerDate) : null,
  }),
}));

import { addCapture, addFee, feeGroups, feeRate, isCapture, isFeeCharge, noFees, type FeeFigures } from '../../bookkeeping/fee-rates.ts';
import { maxRangeDays } from '../../bookkeeping/ranges.ts';
import { costOf, rangeDays } from '../cost.ts';
import { builder } from '../builder.ts';
import { saleAccount } from '../joins/sale-money.ts';
import { checkedRange, ledgerReader, rangeArgs } from '../ledger-reads.ts';
import { Ledger } from './ledger.ts';
import { Money, MoneyShape } from './money.ts';
import { Sale } from './sale.ts';

/** Fees against captures, in one currency. */
interface FeeTotalsShape {
  figures: FeeFigures;
  currency: string;
}

const FeeRate = builder.objectRef<NonNullable<ReturnType<typeof feeRate>>>('FeeRate').implement({
  description:
    'An effective fee rate, `fees / captured`, never a float: in millionths rounded half away from zero (so an exact ' +
    'rate to 0.0001 %), and the same as a percent string. Compute with `fees` and `captured` when you need it exact.',
  fields: (t) => ({
    partsPerMillion: t.int({ description: 'fees / captured × 1 000 000, rounded half away from zero: `17500` is 1.75 %.', resolve: (rate) => rate.partsPerMillion }),
    percent: t.string({ description: 'The same in percent with four decimals, e.g. `"1.7500"`.', resolve: (rate) => rate.percent }),
  }),
});

export const FeeSummary = builder.objectRef<FeeTotalsShape>('FeeSummary').implement({
  description:
    'What fees cost against what was captured, exact in minor units. Fees are every fee charged or credited on the fees ' +
    'account (`capture-fee`, its corrections, `service-fee`, `credit-note`, and types not known yet); `fees-retained` and ' +
    '`fees-invoiced` only settle them and are left out. Captured is the sum of `capture` entries on funds; refunds carry no ' +
    'fees and do not lower it.',
  fields: (t) => ({
    fees: t.field({ type: Money, description: 'Fees charged (positive; a credit lowers it).', resolve: ({ figures, currency }) => new MoneyShape(figures.fees, currency) }),
    feeEntries: t.int({ description: 'How many fees entries add up to `fees`.', resolve: ({ figures }) => figures.feeEntries }),
    captured: t.field({ type: Money, description: 'What was captured: the sum of the `capture` entries.', resolve: ({ figures, currency }) => new MoneyShape(figures.captured, currency) }),
    captures: t.int({ description: 'How many `capture` entries add up to `captured`.', resolve: ({ figures }) => figures.captures }),
    effectiveRate: t.field({
      type: FeeRate,
      nullable: true,
      description: '`fees / captured`; null when nothing was captured.',
      resolve: ({ figures }) => feeRate(figures.fees, figures.captured),
    }),
  }),
});

const MonthFees = builder.objectRef<FeeTotalsShape & { month: string }>('MonthFees').implement({
  description: 'Fees and captures booked on the ledger dates of one month (of the range asked for).',
  fields: (t) => ({
    month: t.string({ description: 'The month of the ledger dates, `YYYY-MM`.', resolve: (group) => group.month }),
    totals: t.field({ type: FeeSummary, description: 'Its fees against its captures.', resolve: (group) => group }),
  }),
});

const SalesUnitFees = builder.objectRef<FeeTotalsShape & { recipientHandle: string | null }>('SalesUnitFees').implement({
  description: 'Fees and captures of one sales unit, by the `recipientHandle` of the entries.',
  fields: (t) => ({
    recipientHandle: t.string({
      nullable: true,
      description: 'The sales unit (`NO:123456`); null for fees of the whole ledger, such as a terminal rental `service-fee`.',
      resolve: (group) => group.recipientHandle,
    }),
    totals: t.field({ type: FeeSummary, description: 'Its fees against its captures.', resolve: (group) => group }),
  }),
});

const LedgerFees = builder.objectRef<{ currency: string } & ReturnType<typeof feeGroups>>('LedgerFees').implement({
  description: "A ledger's fees of a range of ledger dates (each entry counted on its own ledger date), in all, per month and per sales unit.",
  fields: (t) => ({
    totals: t.field({ type: FeeSummary, description: 'The whole range.', resolve: (fees) => ({ figures: fees.total, currency: fees.currency }) }),
    byMonth: t.field({ type: [MonthFees], description: 'Per month of the range, oldest first.', resolve: (fees) => fees.byMonth.map((group) => ({ ...group, currency: fees.currency })) }),
    bySalesUnit: t.field({
      type: [SalesUnitFees],
      description: 'Per sales unit, by recipient handle, the ledger-wide fees (null handle) last.',
      resolve: (fees) => fees.bySalesUnit.map((group) => ({ ...group, currency: fees.currency })),
    }),
  }),
});

builder.objectFields(Ledger, (t) => ({
  fees: t.field({
    extensions: costOf((c) => c.reads(2 * rangeDays(c.args))),
    type: LedgerFees,
    nullable: true,
    description:
      `Fees against captures on the ledger dates from \`from\` to \`to\` (at most ${maxRangeDays} dates), with the effective fee rate, per ` +
      'month and per sales unit. Entries count on their own ledger date: a fee booked the date after its capture counts there. ' +
      'Cost: every date of the range on both accounts.',
    args: { from: t.arg(rangeArgs.from), to: t.arg(rangeArgs.to) },
    resolve: async (ledger, args, context) => {
      const dates = checkedRange(context, ledger, args.from, args.to);
      const reader = ledgerReader(context, ledger.ledgerId);
      const [funds, fees] = await Promise.all([Promise.all(dates.map(reader.funds)), Promise.all(dates.map(reader.fees))]);
      return { currency: ledger.currency, ...feeGroups(funds, fees) };
    },
  }),
}));

builder.objectFields(Sale, (t) => ({
  feeTotals: t.field({
    extensions: costOf((c) => c.chargeJoins(['funds', 'fees'])),
    type: FeeSummary,
    nullable: true,
    description:
      "This sale's fees (the `fees` entries) against its capture, with the effective rate; found as `captures` and `fees` " +
      'are (its date and the next, and wherever the feed mirror names). A refund has no fees and no capture: zero and null rate.',
    resolve: async (sale, _args, context) => {
      const booking = { kind: 'booking' } as const;
      const [funds, fees] = await Promise.all([saleAccount(context, sale, 'funds', booking), saleAccount(context, sale, 'fees', booking)]);
      const figures = noFees();
      for (const { entry } of funds.movements) if (isCapture(entry)) addCapture(figures, entry);
      for (const { entry } of fees.movements) if (isFeeCharge(entry)) addFee(figures, entry);
      return { figures, currency: sale.entry.currency };
    },
  }),
}));

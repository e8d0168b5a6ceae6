import { movementTotals } from '../../bookkeeping/movements.ts';
import {
  findPayout,
  payoutCoverage,
  payoutPeriodWindowDays,
  payoutsBetween,
  payoutSearchWindowDays,
  type Payout as PayoutData,
  type PayoutCoverage,
} from '../../bookkeeping/payouts.ts';
import type { LedgerReader } from '../../bookkeeping/reader.ts';
import { reconcileDates, salesBookedOnDates } from '../../bookkeeping/reconcile-dates.ts';
import type { Reconciliation as ReconciliationData } from '../../bookkeeping/reconcile.ts';
import { costOf, joinDates, listBounds, pageSize, rangeDays } from '../cost.ts';
import { builder } from '../builder.ts';
import { badInput } from '../input-errors.ts';
import { saleOnDate } from '../joins/shapes.ts';
import { checkedRange, ledgerReader, rangeArgs } from '../ledger-reads.ts';
import { pageOf } from '../pagination.ts';
import { NotFoundError } from './errors.ts';
import { Ledger, ledgerById } from './ledger.ts';
import { MoneyMovement } from './money-movement.ts';
import { money, Money } from './money.ts';
import { inCurrency, MovementTotals } from './movement-totals.ts';
import { Reconciliation } from './reconciliation.ts';
import { Sale } from './sale.ts';
import { SaleListConnection } from './sale-list.ts';

/** A payout, with what it covers read only when a field asks for it. */
export class PayoutShape {
  #coverage?: Promise<PayoutCoverage>;
  #reconciliation?: Promise<ReconciliationData>;

  constructor(
    readonly payout: PayoutData,
    readonly reader: LedgerReader,
  ) {}

  coverage(): Promise<PayoutCoverage> {
    this.#coverage ??= payoutCoverage(this.reader, this.payout);
    return this.#coverage;
  }

  reconciliation(): Promise<ReconciliationData> {
    this.#reconciliation ??= this.coverage().then((coverage) => reconcileDates(this.reader, coverage.dates));
    return this.#reconciliation;
  }

  get currency(): string {
    return this.payout.entry.currency;
  }
}

export const Payout = builder.objectRef<PayoutShape>('Payout').implement({
  description:
    'A payout to the bank, rebuilt from the funds account as the Report API prescribes: a `payout-scheduled` entry ends ' +
    'the date that pays out, and the payout covers the consecutive ledger dates since the previous one. Its amount is ' +
    'the balance it empties (down to any reserve), not a sum of chosen payments. Scheduled is not paid: a blocked ' +
    'payout still has its entry, and one that fails comes back as `payout-aborted`.',
  fields: (t) => ({
    ledgerId: t.string({ description: 'The ledger paid out from.', resolve: ({ payout }) => payout.ledgerId }),
    ledger: t.field({ type: Ledger, nullable: true, description: 'The ledger paid out from.', resolve: ({ payout }, _args, context) => ledgerById(payout.ledgerId, context) }),
    payoutId: t.string({
      description: 'The upstream payout id `<ledgerId>-<payoutNumber>`: the pspReference of its entry (the old SettlementID).',
      resolve: ({ payout }) => payout.payoutId,
    }),
    payoutNumber: t.string({
      description: 'The payout number, counting up per ledger: the settlement number on the bank statement.',
      resolve: ({ payout }) => payout.payoutNumber,
    }),
    date: t.field({ type: 'Date', description: 'The ledger date it was scheduled on: the last date it covers.', resolve: ({ payout }) => payout.date }),
    time: t.field({ type: 'DateTime', description: 'When it was scheduled.', resolve: ({ payout }) => payout.entry.time }),
    amount: t.field({ type: Money, description: 'What leaves for the bank (positive).', resolve: (shape) => ({ minorUnits: shape.payout.amount, currency: shape.currency }) }),
    bankText: t.string({
      nullable: true,
      description: 'The bank-transfer text as upstream sends it (in Norway upstream notes it may not match the bank statement).',
      resolve: ({ payout }) => payout.bankText,
    }),
    balanceAfter: t.field({
      type: Money,
      description: 'The funds balance the payout leaves: zero, or a rolling reserve.',
      resolve: (shape) => ({ minorUnits: shape.payout.balanceAfter, currency: shape.currency }),
    }),
    entry: t.field({
      extensions: costOf((c) => c.joinsOn(joinDates)),
      type: MoneyMovement,
      description: 'The `payout-scheduled` entry itself.',
      resolve: ({ payout }) => ({ ledgerId: payout.ledgerId, topic: 'funds' as const, entry: payout.entry }),
    }),
    coveredDates: t.field({
      extensions: costOf((c) => c.chargePayouts(['funds'])),
      type: ['Date'],
      nullable: true,
      description: `The ledger dates the payout covers, oldest first. The previous payout is looked for at most ${payoutPeriodWindowDays} dates back.`,
      resolve: async (shape) => (await shape.coverage()).dates,
    }),
    isCoverageComplete: t.boolean({
      extensions: costOf((c) => c.chargePayouts(['funds'])),
      nullable: true,
      description: `False when no earlier payout was found within ${payoutPeriodWindowDays} dates: the payout may cover earlier dates too (or the ledger's history starts inside the window).`,
      resolve: async (shape) => (await shape.coverage()).complete,
    }),
    openingBalance: t.field({
      extensions: costOf((c) => c.chargePayouts(['funds'])),
      type: Money,
      nullable: true,
      description: 'The funds balance when the first covered date opened. Opening balance + the covered movements before the payout = `amount + balanceAfter`.',
      resolve: async (shape) => money((await shape.coverage()).openingBalance, shape.currency),
    }),
    moneyMovements: t.field({
      extensions: costOf((c) => {
        c.chargePayouts(['funds']);
        c.joinsOn(c.payoutDates + 1);
        c.lists(c.payoutDates * listBounds.perDate);
      }),
      type: [MoneyMovement],
      nullable: true,
      description: 'Every funds entry of the covered dates, in upstream order, the payout entry last.',
      resolve: async (shape) =>
        (await shape.coverage()).days.flatMap((day) => day.entries.map((entry) => ({ ledgerId: shape.payout.ledgerId, topic: 'funds' as const, entry }))),
    }),
    totals: t.field({
      extensions: costOf((c) => c.chargePayouts(['funds'])),
      type: MovementTotals,
      nullable: true,
      description: 'The funds entries of the covered dates by kind, exact (fees here are the ones retained from funds).',
      resolve: async (shape) => inCurrency(shape.currency)(movementTotals([{ topic: 'funds', days: (await shape.coverage()).days }])),
    }),
    sales: t.connection(
      {
        extensions: costOf((c) => {
          // Reconciling reads the covered dates' funds and sales, plus one date either side.
          c.chargePayouts(['funds', 'sales'], 2);
          c.joinsOn(c.payoutDates + 1);
          c.lists(pageSize(c.args));
        }),
        type: Sale,
        nullable: true,
        description: 'The sales whose capture or refund the covered dates booked: what the payout pays for (cash never is).',
        resolve: async (shape, args) =>
          pageOf(
            args,
            salesBookedOnDates(await shape.reconciliation()).map((item) => saleOnDate(shape.payout.ledgerId, item.salesDate, item.sale)),
          ),
      },
      SaleListConnection,
    ),
    reconciliation: t.field({
      extensions: costOf((c) => {
        c.chargePayouts(['funds', 'sales'], 2);
        c.joinsOn(c.payoutDates + 1);
      }),
      type: Reconciliation,
      nullable: true,
      description: 'The sales of the covered dates against the funds entries booked on them.',
      resolve: async (shape) => ({ ledgerId: shape.payout.ledgerId, currency: shape.currency, data: await shape.reconciliation() }),
    }),
  }),
});

builder.objectFields(Ledger, (t) => ({
  payouts: t.field({
    extensions: costOf((c) => {
      c.reads(rangeDays(c.args));
      c.payoutsOn(rangeDays(c.args) + payoutPeriodWindowDays);
      c.lists(rangeDays(c.args));
    }),
    type: [Payout],
    nullable: true,
    description: 'The payouts scheduled on the ledger dates from `from` to `to` (at most 31 dates), oldest first.',
    args: {
      from: t.arg(rangeArgs.from),
      to: t.arg(rangeArgs.to),
    },
    resolve: async (ledger, args, context) => {
      const reader = ledgerReader(context, ledger.ledgerId);
      const payouts = await payoutsBetween(reader, checkedRange(args.from, args.to));
      return payouts.map((payout) => new PayoutShape(payout, reader));
    },
  }),
  payout: t.field({
    extensions: costOf((c) => {
      c.reads(payoutSearchWindowDays);
      c.payoutsOn(payoutPeriodWindowDays);
    }),
    type: Payout,
    nullable: true,
    description:
      `One payout by its number, looked for on \`near\` and the ${payoutSearchWindowDays - 1} dates before it (never further: ` +
      'upstream has no payout lookup). Pass the bank-statement date or a date soon after the payout. Answers ' +
      '`NotFoundError` when it is not in that window.',
    errors: { types: [NotFoundError], union: { name: 'PayoutResult', description: 'The payout, or why there is none.' } },
    args: {
      payoutNumber: t.arg.string({ required: true, description: 'The payout number (e.g. `2000023`), or the payout id `<ledgerId>-<number>`.' }),
      near: t.arg({ type: 'Date', required: true, description: 'The last ledger date to look on; the search walks back from it.' }),
    },
    resolve: async (ledger, args, context) => {
      const number = args.payoutNumber.startsWith(`${ledger.ledgerId}-`) ? args.payoutNumber.slice(ledger.ledgerId.length + 1) : args.payoutNumber;
      if (!/^\d+$/.test(number)) throw badInput('payoutNumber', `must be a payout number of digits or \`${ledger.ledgerId}-<number>\`; got ${JSON.stringify(args.payoutNumber)}`);
      const reader = ledgerReader(context, ledger.ledgerId);
      const payout = await findPayout(reader, number, args.near);
      if (payout === null) {
        const message = `No payout ${number} on ledger ${JSON.stringify(ledger.ledgerId)} was scheduled on ${args.near} or the ${payoutSearchWindowDays - 1} dates before.`;
        throw new NotFoundError('Payout', number, message);
      }
      return new PayoutShape(payout, reader);
    },
  }),
}));

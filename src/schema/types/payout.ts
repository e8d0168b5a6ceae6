import { z } from 'zod';
import { movementTotals } from '../../bookkeeping/movements.ts';
import {
  payoutAbortWindowDays,
  payoutCoverage,
  payoutPeriodWindowDays,
  payoutsOn,
  type Payout as PayoutData,
  type PayoutCoverage,
} from '../../bookkeeping/payouts.ts';
import type { LedgerReader } from '../../bookkeeping/reader.ts';
import { reconcileDates, salesBookedOnDates } from '../../bookkeeping/reconcile-dates.ts';
import type { Reconciliation as ReconciliationData } from '../../bookkeeping/reconcile.ts';
import { costOf, joinDates, listBounds, pageSize } from '../cost.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { payoutFate, type PayoutStatusValue } from '../joins/payout-fate.ts';
import { MoneyMovementShape, saleOnDate } from '../joins/shapes.ts';
import { ledgerReader } from '../ledger-reads.ts';
import { pageOf } from '../pagination.ts';
import { Ledger, ledgerById } from './ledger.ts';
import { MoneyMovement } from './money-movement.ts';
import { Money, MoneyShape, money } from './money.ts';
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

  fate(context: Context) {
    return payoutFate(context, this.reader, this.payout, this);
  }

  get currency(): string {
    return this.payout.entry.currency;
  }
}

/** A payout's global id names where to find it again: its ledger, the date it was scheduled on, and its number. */
const payoutKeyModel = z.tuple([z.literal('payout'), z.string().min(1), z.iso.date(), z.string().regex(/^\d+$/)]);

export function payoutKeyOf({ payout }: PayoutShape): string {
  return JSON.stringify(['payout', payout.ledgerId, payout.date, payout.payoutNumber]);
}

export function parsePayoutKey(text: string): z.infer<typeof payoutKeyModel> | null {
  try {
    const parsed = payoutKeyModel.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The payout a key names, or null when it is gone or its ledger is not visible (checked before anything is read). */
async function loadPayoutByKey(context: Context, text: string): Promise<PayoutShape | null> {
  const key = parsePayoutKey(text);
  if (key === null) return null;
  const [, ledgerId, date, payoutNumber] = key;
  if ((await context.report.ledger.load(ledgerId)) === null) return null;
  const reader = ledgerReader(context, ledgerId);
  const payout = payoutsOn(ledgerId, await reader.funds(date)).find((candidate) => candidate.payoutNumber === payoutNumber);
  return payout === undefined ? null : new PayoutShape(payout, reader);
}

export const PayoutStatus = builder.enumType('PayoutStatus', {
  description: 'What became of a scheduled payout. Upstream has no payout status: it is read from the funds account.',
  values: {
    SCHEDULED: { description: `Scheduled, and it can still be aborted: the ${payoutAbortWindowDays} dates after it have not all passed.` },
    PAID: { description: `No \`payout-aborted\` came back within ${payoutAbortWindowDays} dates: the money left for the bank.` },
    ABORTED: { description: 'It could not run: `payout-aborted` brought the money back to the ledger, and no later payout has paid it yet.' },
    REPAID: { description: 'Aborted, and a later payout (`repaidBy`) paid the money again: that one covers its dates and sales.' },
  } as const satisfies Record<PayoutStatusValue, { description: string }>,
});

const payoutCovers = (shape: PayoutShape) => shape.coverage();

/** Declared apart from its fields: a payout links to other payouts (`repaidBy`, `repays`). */
const PayoutRef = builder.objectRef<PayoutShape>('Payout');

export const Payout = builder.node(PayoutRef, {
  description:
    'A payout to the bank, rebuilt from the funds account as the Report API prescribes: a `payout-scheduled` entry ends ' +
    'the date that pays out, and the payout covers the consecutive ledger dates since the previous one (and those of an ' +
    'earlier payout that was aborted and whose money it pays again). Its amount is the balance it empties (down to any ' +
    'reserve), not a sum of chosen payments. Scheduled is not paid: see `status`.',
  id: { resolve: payoutKeyOf },
  loadMany: (keys: string[], context: Context) => Promise.all(keys.map((key) => loadPayoutByKey(context, key))),
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
    amount: t.field({ type: Money, description: 'What leaves for the bank (positive).', resolve: (shape) => new MoneyShape(shape.payout.amount, shape.currency) }),
    bankText: t.string({
      nullable: true,
      description: 'The bank-transfer text as upstream sends it (in Norway upstream notes it may not match the bank statement).',
      resolve: ({ payout }) => payout.bankText,
    }),
    balanceAfter: t.field({
      type: Money,
      description: 'The funds balance the payout leaves: zero, or a rolling reserve.',
      resolve: (shape) => new MoneyShape(shape.payout.balanceAfter, shape.currency),
    }),
    entry: t.field({
      extensions: costOf((c) => c.joinsOn(joinDates)),
      type: MoneyMovement,
      description: 'The `payout-scheduled` entry itself.',
      resolve: ({ payout }) => new MoneyMovementShape(payout.ledgerId, 'funds', payout.entry),
    }),
    status: t.field({
      extensions: costOf((c) => c.reads(payoutAbortWindowDays + payoutPeriodWindowDays)),
      type: PayoutStatus,
      nullable: true,
      description: `Whether it reached the bank: looked for on the ${payoutAbortWindowDays} dates after it (or wherever the feed mirror names its id).`,
      resolve: async (shape, _args, context) => (await shape.fate(context)).status,
    }),
    abort: t.field({
      extensions: costOf((c) => c.reads(payoutAbortWindowDays)),
      type: MoneyMovement,
      nullable: true,
      description: 'The `payout-aborted` entry that brought its money back to the ledger; null unless aborted.',
      resolve: async (shape, _args, context) => {
        const { abort } = await shape.fate(context);
        return abort === null ? null : new MoneyMovementShape(shape.payout.ledgerId, 'funds', abort);
      },
    }),
    repaidBy: t.field({
      extensions: costOf((c) => c.reads(payoutAbortWindowDays + payoutPeriodWindowDays)),
      type: PayoutRef,
      nullable: true,
      description: 'For an aborted payout: the later payout that paid its money again (the next one scheduled after the abort); null otherwise.',
      resolve: async (shape, _args, context) => {
        const { repaidBy } = await shape.fate(context);
        return repaidBy === null ? null : new PayoutShape(repaidBy, shape.reader);
      },
    }),
    repays: t.field({
      extensions: costOf((c) => c.chargePayouts(['funds'])),
      type: [PayoutRef],
      nullable: true,
      description: 'Earlier payouts that were aborted and whose money this one pays again, oldest first: it covers their dates and sales.',
      resolve: async (shape) => (await payoutCovers(shape)).repays.map((payout) => new PayoutShape(payout, shape.reader)),
    }),
    coveredDates: t.field({
      extensions: costOf((c) => c.chargePayouts(['funds'])),
      type: ['Date'],
      nullable: true,
      description:
        `The ledger dates the payout covers, oldest first: back to the previous payout that reached the bank (an aborted one ` +
        `it pays again does not end them). The previous payout is looked for at most ${payoutPeriodWindowDays} dates back.`,
      resolve: async (shape) => (await payoutCovers(shape)).dates,
    }),
    isCoverageComplete: t.boolean({
      extensions: costOf((c) => c.chargePayouts(['funds'])),
      nullable: true,
      description: `False when no earlier payout was found within ${payoutPeriodWindowDays} dates: the payout may cover earlier dates too (or the ledger's history starts inside the window).`,
      resolve: async (shape) => (await payoutCovers(shape)).complete,
    }),
    openingBalance: t.field({
      extensions: costOf((c) => c.chargePayouts(['funds'])),
      type: Money,
      nullable: true,
      description: 'The funds balance when the first covered date opened. Opening balance + the covered movements before the payout = `amount + balanceAfter`.',
      resolve: async (shape) => money((await payoutCovers(shape)).openingBalance, shape.currency),
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
        (await payoutCovers(shape)).days.flatMap((day) => day.entries.map((entry) => new MoneyMovementShape(shape.payout.ledgerId, 'funds', entry))),
    }),
    totals: t.field({
      extensions: costOf((c) => c.chargePayouts(['funds'])),
      type: MovementTotals,
      nullable: true,
      description: 'The funds entries of the covered dates by kind, exact (fees here are the ones retained from funds).',
      resolve: async (shape) => inCurrency(shape.currency)(movementTotals([{ topic: 'funds', days: (await payoutCovers(shape)).days }])),
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

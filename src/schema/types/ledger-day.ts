import { readPeriodAccounts, readPeriodSales, type PeriodAccounts } from '../../bookkeeping/period.ts';
import { payoutPeriodWindowDays } from '../../bookkeeping/payouts.ts';
import type { LedgerReader } from '../../bookkeeping/reader.ts';
import type { SalesTotals as SalesTotalsData } from '../../bookkeeping/sales-totals.ts';
import type { Ledger as LedgerShape } from '../../sources/report/models.ts';
import { costOf, rangeDays } from '../cost.ts';
import { builder } from '../builder.ts';
import { checkedDate, checkedRange, ledgerReader, narrowerRange, rangeArgs, rangeReader } from '../ledger-reads.ts';
import { Ledger } from './ledger.ts';
import { money, Money } from './money.ts';
import { AccountBalances, inCurrency, MovementTotals } from './movement-totals.ts';
import { Payout, PayoutShape } from './payout.ts';
import { SalesTotals } from './sales-totals.ts';

/**
 * The books of consecutive ledger dates. The Report half (balances, movements, payouts) and the
 * Sales half are read apart and only when a field asks, each date once per request.
 */
export class LedgerBooksShape {
  #accounts?: Promise<PeriodAccounts>;
  #sales?: Promise<SalesTotalsData>;

  constructor(
    readonly ledger: LedgerShape,
    readonly dates: string[],
    readonly reader: LedgerReader,
  ) {}

  accounts(): Promise<PeriodAccounts> {
    this.#accounts ??= readPeriodAccounts(this.reader, this.dates);
    return this.#accounts;
  }

  sales(): Promise<SalesTotalsData> {
    this.#sales ??= readPeriodSales(this.reader, this.dates);
    return this.#sales;
  }

  day(date: string): LedgerBooksShape {
    return new LedgerBooksShape(this.ledger, [date], this.reader);
  }
}

const LedgerBooks = builder.interfaceRef<LedgerBooksShape>('LedgerBooks').implement({
  description:
    'What an accounting partner asks of some ledger dates: what was sold, what was booked, what went to the bank, and ' +
    'the balances. Every amount is an exact sum in the ledger currency. Figures of an open date are so far.',
  fields: (t) => ({
    ledgerId: t.string({ description: 'The ledger.', resolve: (books) => books.ledger.ledgerId }),
    ledger: t.field({ type: Ledger, description: 'The ledger.', resolve: (books) => books.ledger }),
    isClosed: t.boolean({
      extensions: costOf((c) => c.chargeBooks(['funds', 'fees'])),
      nullable: true,
      description: 'Whether upstream has closed every date on both accounts: only then are the figures final.',
      resolve: async (books) => (await books.accounts()).isClosed,
    }),
    openingBalance: t.field({
      extensions: costOf((c) => c.chargeBooks(['funds', 'fees'])),
      type: Money,
      nullable: true,
      description: 'The funds balance when the first date opened (what Vipps MobilePay owed the merchant).',
      resolve: async (books) => money((await books.accounts()).funds.opening, books.ledger.currency),
    }),
    closingBalance: t.field({
      extensions: costOf((c) => c.chargeBooks(['funds', 'fees'])),
      type: Money,
      nullable: true,
      description: 'The funds balance after the last entry (after any payout).',
      resolve: async (books) => money((await books.accounts()).funds.closing, books.ledger.currency),
    }),
    fundsAccount: t.field({
      extensions: costOf((c) => c.chargeBooks(['funds', 'fees'])),
      type: AccountBalances,
      nullable: true,
      description: 'The funds account: what is owed to the merchant.',
      resolve: async (books) => inCurrency(books.ledger.currency)((await books.accounts()).funds),
    }),
    feesAccount: t.field({
      extensions: costOf((c) => c.chargeBooks(['funds', 'fees'])),
      type: AccountBalances,
      nullable: true,
      description: 'The fees account: what the merchant owes in fees (normally zero or negative).',
      resolve: async (books) => inCurrency(books.ledger.currency)((await books.accounts()).fees),
    }),
    movements: t.field({
      extensions: costOf((c) => c.chargeBooks(['funds', 'fees'])),
      type: MovementTotals,
      nullable: true,
      description: 'Every entry of both accounts by kind: captures, refunds, fees, disputes, payouts and the rest.',
      resolve: async (books) => inCurrency(books.ledger.currency)((await books.accounts()).movements()),
    }),
    sales: t.field({
      extensions: costOf((c) => c.chargeBooks(['sales'])),
      type: SalesTotals,
      nullable: true,
      description: 'What was sold on the dates (Sales API), by solution, payment type and VAT rate.',
      resolve: async (books) => inCurrency(books.ledger.currency)(await books.sales()),
    }),
    payouts: t.field({
      extensions: costOf((c) => {
        c.chargeBooks(['funds', 'fees']);
        c.payoutsOn(c.booksDates + payoutPeriodWindowDays);
        c.lists(c.booksDates);
      }),
      type: [Payout],
      nullable: true,
      description: 'The payouts scheduled on the dates, oldest first.',
      resolve: async (books) => (await books.accounts()).payouts.map((payout) => new PayoutShape(payout, books.reader)),
    }),
  }),
});

export const LedgerDay = builder.objectRef<LedgerBooksShape>('LedgerDay').implement({
  description: 'The books of one ledger date.',
  interfaces: [LedgerBooks],
  fields: (t) => ({
    date: t.field({ type: 'Date', description: 'The ledger date.', resolve: (books) => books.dates[0] ?? '' }),
    payout: t.field({
      extensions: costOf((c) => {
        c.chargeBooks(['funds', 'fees']);
        c.payoutsOn(payoutPeriodWindowDays);
      }),
      type: Payout,
      nullable: true,
      description: 'The payout scheduled on this date; null when the date pays nothing out.',
      resolve: async (books) => {
        const [payout] = (await books.accounts()).payouts;
        return payout === undefined ? null : new PayoutShape(payout, books.reader);
      },
    }),
  }),
});

const LedgerPeriod = builder.objectRef<LedgerBooksShape>('LedgerPeriod').implement({
  description: 'The books of consecutive ledger dates (at most a year), summed, with each date apart in `days`.',
  interfaces: [LedgerBooks],
  fields: (t) => ({
    from: t.field({ type: 'Date', description: 'The first date.', resolve: (books) => books.dates[0] ?? '' }),
    to: t.field({ type: 'Date', description: 'The last date.', resolve: (books) => books.dates[books.dates.length - 1] ?? '' }),
    days: t.field({
      type: [LedgerDay],
      description: 'Each date of the period; reads nothing more than the period does.',
      resolve: (books) => books.dates.map((date) => books.day(date)),
    }),
  }),
});

builder.objectFields(Ledger, (t) => ({
  day: t.field({
    extensions: costOf((c) => c.booksOn(1)),
    type: LedgerDay,
    nullable: true,
    description: 'The books of one ledger date: balances, what was sold, what was booked, and the payout if any.',
    args: { date: t.arg({ type: 'Date', required: true, description: 'The ledger date.' }) },
    resolve: (ledger, args, context) =>
      new LedgerBooksShape(ledger, [checkedDate(context, ledger, 'date', args.date)], ledgerReader(context, ledger.ledgerId)),
  }),
  period: t.field({
    extensions: costOf((c) => {
      const dates = rangeDays(c.args);
      c.booksOn(dates, c.upstreamReportDates(dates));
      c.advise(narrowerRange);
    }),
    type: LedgerPeriod,
    nullable: true,
    description:
      'The books of the ledger dates from `from` to `to` (at most 366: a VAT period or a year), summed. Costs one read per ' +
      'date and account, and per date of sales when `sales` is asked for; with the feed mirror the closed dates of the ' +
      'Report accounts are read from it and cost nothing upstream.',
    args: { from: t.arg(rangeArgs.from), to: t.arg(rangeArgs.to) },
    resolve: (ledger, args, context) =>
      new LedgerBooksShape(ledger, checkedRange(context, ledger, args.from, args.to), rangeReader(context, ledger.ledgerId)),
  }),
}));

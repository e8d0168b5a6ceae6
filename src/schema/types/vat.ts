import type { LedgerReader } from '../../bookkeeping/reader.ts';
import { saleVat, vatBreakdown, type VatBreakdown as VatBreakdownData, type VatAmounts } from '../../bookkeeping/vat.ts';
import type { Ledger as LedgerShape } from '../../sources/report/models.ts';
import { costOf, pageSize, rangeDays } from '../cost.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { saleOnDate, type SaleShape } from '../joins/shapes.ts';
import { checkedRange, narrowerRange, rangeArgs, rangeReader } from '../ledger-reads.ts';
import { basisPointsToPercent } from '../../kernel/money.ts';
import { pageOf } from '../pagination.ts';
import { Ledger } from './ledger.ts';
import { inCurrency, type InCurrency } from './movement-totals.ts';
import { Money, MoneyShape } from './money.ts';
import { Sale } from './sale.ts';
import { SaleListConnection } from './sale-list.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** Gross, net and VAT of a VAT total, in the ledger's currency. */
function amountFields<Shape extends InCurrency<VatAmounts>>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, Shape>, what: string) {
  return {
    gross: t.field({
      type: Money,
      description: `Gross (including VAT) of ${what}.`,
      resolve: ({ data, currency }) => new MoneyShape(data.gross, currency),
    }),
    net: t.field({
      type: Money,
      description: `Net (excluding VAT) of ${what}.`,
      resolve: ({ data, currency }) => new MoneyShape(data.net, currency),
    }),
    vat: t.field({ type: Money, description: `VAT of ${what}.`, resolve: ({ data, currency }) => new MoneyShape(data.vat, currency) }),
  };
}

const VatRateTotal = builder.objectRef<InCurrency<VatBreakdownData['byRate'][number]>>('VatRateTotal').implement({
  description: 'Order lines of one VAT rate, summed exactly.',
  fields: (t) => ({
    rateBasisPoints: t.int({ description: 'The rate in basis points (`2500` = 25 %).', resolve: ({ data }) => data.rate }),
    ratePercent: t.string({ description: 'The rate in percent, exact (`"25.00"`).', resolve: ({ data }) => basisPointsToPercent(data.rate) }),
    lineCount: t.int({ description: 'How many order lines carry this rate.', resolve: ({ data }) => data.lineCount }),
    ...amountFields(t, 'the lines at this rate'),
  }),
});

const VatWithoutRate = builder.objectRef<InCurrency<VatBreakdownData['withoutRate']>>('VatWithoutRate').implement({
  description: 'VAT the merchant gave for a whole sale without order lines, so without a rate (an open amount with VAT).',
  fields: (t) => ({
    saleCount: t.int({ description: 'How many sales.', resolve: ({ data }) => data.saleCount }),
    ...amountFields(t, 'those sales'),
  }),
});

const VatGap = builder.objectRef<InCurrency<VatBreakdownData['lacking']>>('VatGap').implement({
  description: 'What lacks VAT data: order lines without a VAT rate, and sales with no VAT at all. Book these by hand.',
  fields: (t) => ({
    saleCount: t.int({ description: 'How many sales lack VAT data for some or all of their gross.', resolve: ({ data }) => data.saleCount }),
    lineCount: t.int({ description: 'How many of their order lines lack it.', resolve: ({ data }) => data.lineCount }),
    gross: t.field({
      type: Money,
      description: 'The gross that has no VAT data.',
      resolve: ({ data, currency }) => new MoneyShape(data.gross, currency),
    }),
  }),
});

export const VatBreakdown = builder.objectRef<InCurrency<VatBreakdownData>>('VatBreakdown').implement({
  description:
    'VAT as the merchant entered it, exact. The gross splits into lines by VAT rate, VAT given without a rate, and ' +
    'what lacks VAT data: `gross` = Σ `byRate.gross` + `withoutRate.gross` + `lacking.gross`, and `net` and `vat` ' +
    'cover the first two.',
  fields: (t) => ({
    byRate: t.field({
      type: [VatRateTotal],
      description: 'Order lines by VAT rate, highest rate first.',
      resolve: ({ data, currency }) => data.byRate.map(inCurrency(currency)),
    }),
    withoutRate: t.field({
      type: VatWithoutRate,
      description: 'Sales with VAT but no rate.',
      resolve: ({ data, currency }) => ({ data: data.withoutRate, currency }),
    }),
    lacking: t.field({
      type: VatGap,
      description: 'What lacks VAT data.',
      resolve: ({ data, currency }) => ({ data: data.lacking, currency }),
    }),
    ...amountFields(t, 'every sale (`net` and `vat`: of the part with VAT data)'),
  }),
});

/** The sales of some dates, read once and summarised lazily. */
class VatSummaryShape {
  #sales?: Promise<Array<{ salesDate: string; entry: SaleShape['entry'] }>>;

  constructor(
    readonly ledger: LedgerShape,
    readonly dates: string[],
    readonly reader: LedgerReader,
  ) {}

  sales() {
    this.#sales ??= Promise.all(this.dates.map((date) => this.reader.sales(date))).then((days) =>
      days.flatMap((day) => day.entries.map((entry) => ({ salesDate: day.date, entry }))),
    );
    return this.#sales;
  }
}

const VatSummary = builder.objectRef<VatSummaryShape>('VatSummary').implement({
  description: 'VAT of the sales of consecutive ledger dates, by rate, with what lacks VAT data listed apart.',
  fields: (t) => ({
    from: t.field({ type: 'Date', description: 'The first date.', resolve: (summary) => summary.dates[0] ?? '' }),
    to: t.field({ type: 'Date', description: 'The last date.', resolve: (summary) => summary.dates[summary.dates.length - 1] ?? '' }),
    isFinal: t.boolean({
      nullable: true,
      description: 'Whether upstream has closed the last date, so no sale can still arrive on any of the dates.',
      resolve: async (summary) => (await summary.reader.funds(summary.dates[summary.dates.length - 1] ?? '')).isClosed,
    }),
    breakdown: t.field({
      type: VatBreakdown,
      nullable: true,
      description: 'The VAT of every sale of the dates (captures and refunds, cash included; refunds are negative).',
      resolve: async (summary) =>
        inCurrency(summary.ledger.currency)(vatBreakdown((await summary.sales()).map((sale) => sale.entry))),
    }),
    salesLackingVat: t.connection(
      {
        extensions: costOf((c) => c.lists(pageSize(c.args))),
        type: Sale,
        nullable: true,
        description: 'The sales with some gross that lacks VAT data, in date order.',
        resolve: async (summary, args) => {
          const lacking = (await summary.sales()).filter((sale) => saleVat(sale.entry).lacksVat);
          return pageOf(
            args,
            lacking.map((sale) => saleOnDate(summary.ledger.ledgerId, sale.salesDate, sale.entry)),
          );
        },
      },
      SaleListConnection,
    ),
  }),
});

builder.objectField(Ledger, 'vatSummary', (t) =>
  t.field({
    extensions: costOf((c) => {
      // Every Sales date, and the last funds date for `isFinal`.
      c.reads(rangeDays(c.args) + c.upstreamReportDates(1));
      c.joinsOn(rangeDays(c.args) + 1);
      c.advise(narrowerRange);
    }),
    type: VatSummary,
    description:
      'VAT of the sales from `from` to `to` (at most 366 dates: a VAT period of two months, a quarter, half a year, or a ' +
      'year), by rate, exact. Costs one Sales date read per date (kept in the cache once closed).',
    args: {
      from: t.arg(rangeArgs.from),
      to: t.arg(rangeArgs.to),
    },
    resolve: (ledger, args, context: Context) =>
      new VatSummaryShape(ledger, checkedRange(context, ledger, args.from, args.to), rangeReader(context, ledger.ledgerId)),
  }),
);

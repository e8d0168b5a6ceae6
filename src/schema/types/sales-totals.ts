import type { SalesTally as SalesTallyData, SalesTotals as SalesTotalsData } from '../../bookkeeping/sales-totals.ts';
import { builder } from '../builder.ts';
import { toOpenEnum } from '../../kernel/open-enum.ts';
import { inCurrency, type InCurrency } from './movement-totals.ts';
import { Money, MoneyShape } from './money.ts';
import { PaymentType, paymentTypes, Solution, solutions } from './sale-enums.ts';
import { VatBreakdown } from './vat.ts';

export const SalesTally = builder.objectRef<InCurrency<SalesTallyData>>('SalesTally').implement({
  description:
    'Sales counted and summed exactly. `net` and `vat` cover the part of the gross with VAT data; the rest is ' +
    '`grossLackingVat`, so `gross` = `net` + `vat` + `grossLackingVat` wherever upstream amounts add up.',
  fields: (t) => {
    const amount = (key: 'gross' | 'net' | 'vat' | 'lackingVatGross', description: string) =>
      t.field({ type: Money, description, resolve: ({ data, currency }) => new MoneyShape(data[key], currency) });
    return {
      count: t.int({ description: 'How many Sales API entries (captures and refunds).', resolve: ({ data }) => data.count }),
      gross: amount('gross', 'Gross including VAT; refunds count negative.'),
      net: amount('net', 'Net of the part with VAT data.'),
      vat: amount('vat', 'VAT of the part with VAT data.'),
      countLackingVat: t.int({
        description: 'How many of the sales lack VAT data for some or all of their gross.',
        resolve: ({ data }) => data.lackingVatCount,
      }),
      grossLackingVat: amount('lackingVatGross', 'The gross that has no VAT data.'),
    };
  },
});

const SolutionSalesTally = builder
  .objectRef<InCurrency<SalesTotalsData['bySolution'][number]>>('SolutionSalesTally')
  .implement({
    description: 'The sales of one sales solution.',
    fields: (t) => ({
      solution: t.field({
        type: Solution,
        nullable: true,
        description: 'The solution; null when upstream does not say.',
        resolve: ({ data }) => toOpenEnum(data.solution, solutions),
      }),
      rawSolution: t.string({ nullable: true, description: 'The upstream string as sent.', resolve: ({ data }) => data.solution }),
      totals: t.field({ type: SalesTally, description: 'Their totals.', resolve: ({ data, currency }) => ({ data, currency }) }),
    }),
  });

const PaymentTypeSalesTally = builder
  .objectRef<InCurrency<SalesTotalsData['byPaymentType'][number]>>('PaymentTypeSalesTally')
  .implement({
    description: 'The sales paid one way.',
    fields: (t) => ({
      paymentType: t.field({
        type: PaymentType,
        nullable: true,
        description: 'How the customers paid; null when upstream does not say.',
        resolve: ({ data }) => toOpenEnum(data.paymentType, paymentTypes),
      }),
      rawPaymentType: t.string({ nullable: true, description: 'The upstream string as sent.', resolve: ({ data }) => data.paymentType }),
      totals: t.field({ type: SalesTally, description: 'Their totals.', resolve: ({ data, currency }) => ({ data, currency }) }),
    }),
  });

export const SalesTotals = builder.objectRef<InCurrency<SalesTotalsData>>('SalesTotals').implement({
  description: 'What was sold (Sales API: Vippsnummer and mPOS), exact, and broken down as bookkeeping needs it.',
  fields: (t) => {
    const tally = (key: 'all' | 'captures' | 'refunds' | 'cash', description: string) =>
      t.field({ type: SalesTally, description, resolve: ({ data, currency }) => inCurrency(currency)(data[key]) });
    return {
      all: tally('all', 'Every capture and refund.'),
      captures: tally('captures', 'Captures only.'),
      refunds: tally('refunds', 'Refunds only (negative amounts).'),
      cash: tally('cash', 'Cash at an mPOS: sold, but no money moves through Vipps MobilePay, so it never reaches a payout.'),
      bySolution: t.field({
        type: [SolutionSalesTally],
        description: 'By sales solution.',
        resolve: ({ data, currency }) => data.bySolution.map(inCurrency(currency)),
      }),
      byPaymentType: t.field({
        type: [PaymentTypeSalesTally],
        description: 'By payment type.',
        resolve: ({ data, currency }) => data.byPaymentType.map(inCurrency(currency)),
      }),
      vat: t.field({
        type: VatBreakdown,
        description: 'VAT by rate, and what lacks VAT data.',
        resolve: ({ data, currency }) => inCurrency(currency)(data.vat),
      }),
    };
  },
});

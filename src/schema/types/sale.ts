import { costOf, joinDates } from '../cost.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { checkedId, idForms } from '../inputs.ts';
import { loadSaleByKey, saleKeyOf } from '../joins/sale-keys.ts';
import { saleFromLookup, type SaleShape } from '../joins/shapes.ts';
import { toOpenEnum } from '../../kernel/open-enum.ts';
import { Completeness } from './completeness.ts';
import { NotFoundError, notFoundAs } from './errors.ts';
import { Ledger, ledgerById, visibleLedger } from './ledger.ts';
import { Money } from './money.ts';
import { OrderLine } from './order-line.ts';
import { PaymentType, paymentTypes, SaleKind, saleKinds, Solution, solutions } from './sale-enums.ts';

export const Sale = builder.node(builder.objectRef<SaleShape>('Sale'), {
  description:
    'One capture or refund of an order, as the Sales API records it (Vippsnummer and mPOS sales), joined with the ' +
    'money movements that the Report API records for it.',
  id: { resolve: saleKeyOf },
  loadMany: (keys: string[], context: Context) => Promise.all(keys.map((key) => loadSaleByKey(context, key))),
  fields: (t) => ({
    ledgerId: t.exposeString('ledgerId', { description: 'The ledger the sale was made on.' }),
    ledger: t.field({
      type: Ledger,
      nullable: true,
      description: 'The ledger the sale was made on.',
      resolve: (sale, _args, context) => ledgerById(sale.ledgerId, context),
    }),
    entryType: t.exposeString('entryType', {
      description: 'The raw upstream entry type (`capture`, `refund`, …), never rejected.',
    }),
    kind: t.field({
      type: SaleKind,
      description: 'The entry type as an enum; `UNKNOWN` for types this gateway does not know yet.',
      resolve: (sale) => toOpenEnum(sale.entry.entryType, saleKinds) ?? 'UNKNOWN',
    }),
    time: t.expose('time', { type: 'DateTime', description: 'When the capture or refund happened.' }),
    orderDate: t.expose('orderDate', {
      type: 'DateTime',
      nullable: true,
      description: 'When the order was made; differs from `time` for a later refund. Null when upstream does not say.',
    }),
    reference: t.exposeString('reference', {
      description: 'The order id, shared by every capture, refund and fee of the order.',
    }),
    pspReference: t.exposeString('pspReference', {
      nullable: true,
      description: 'The id of this one money movement, the same as on its Report entries; null for cash, which has none.',
    }),
    currency: t.expose('currency', {
      type: 'Currency',
      description: 'Currency of every amount of the sale.',
    }),
    paymentType: t.field({
      type: PaymentType,
      nullable: true,
      description: 'How the customer paid; null when upstream does not say.',
      resolve: (sale) => toOpenEnum(sale.entry.paymentType, paymentTypes),
    }),
    rawPaymentType: t.exposeString('rawPaymentType', {
      nullable: true,
      description: 'The upstream `paymentType` string as sent.',
    }),
    solution: t.field({
      type: Solution,
      nullable: true,
      description: 'The sales solution; null when upstream does not say.',
      resolve: (sale) => toOpenEnum(sale.entry.classification.solution, solutions),
    }),
    rawSolution: t.exposeString('rawSolution', {
      nullable: true,
      description: 'The upstream `classification.solution` string as sent.',
    }),
    salesCategory: t.exposeString('salesCategory', {
      nullable: true,
      description: "The merchant's own category for the sale (e.g. `Kiosk`); null when none was set.",
    }),
    gross: t.expose('gross', {
      type: Money,
      nullable: true,
      description: 'Amount including VAT.',
    }),
    net: t.expose('net', {
      type: Money,
      nullable: true,
      description: 'Amount excluding VAT; null when the merchant gave no VAT.',
    }),
    vat: t.expose('vat', {
      type: Money,
      nullable: true,
      description: 'The VAT; null when the merchant gave no VAT.',
    }),
    orderLines: t.expose('orderLines', {
      type: [OrderLine],
      description: 'The order lines, as far as the merchant entered them; empty for open amounts.',
    }),
    completeness: t.field({
      type: Completeness,
      nullable: true,
      description: 'What the merchant provided; null when upstream does not say.',
      resolve: (sale) => sale.entry.completeness,
    }),
  }),
});

builder.queryField('sale', (t) =>
  t.field({
    extensions: costOf((c) => {
      c.reads(1);
      c.joinsOn(joinDates);
    }),
    type: Sale,
    nullable: true,
    description:
      'One capture or refund by its pspReference. Answers `NotFoundError` when the ledger or the sale is not visible to you.',
    errors: { types: [NotFoundError], union: { name: 'SaleResult', description: 'The sale, or why there is none.' } },
    args: {
      ledgerId: t.arg.string({ required: true, description: 'The upstream ledger id.' }),
      pspReference: t.arg.string({ required: true, description: 'The pspReference of the capture or refund.' }),
    },
    resolve: async (_root, { ledgerId, pspReference }, context) => {
      checkedId('ledgerId', ledgerId, idForms.ledgerId);
      checkedId('pspReference', pspReference, idForms.pspReference);
      await visibleLedger(ledgerId, context);
      const entry = await context.sales.byPspReference.load({ ledgerId, pspReference }).catch(notFoundAs('Ledger', ledgerId));
      if (entry === null) {
        const message = `No sale with pspReference ${JSON.stringify(pspReference)} on ledger ${JSON.stringify(ledgerId)}.`;
        throw new NotFoundError('Sale', pspReference, message);
      }
      return saleFromLookup(ledgerId, entry);
    },
  }),
);

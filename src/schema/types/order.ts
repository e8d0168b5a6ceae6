import { orderTotals, type OrderTotals } from '../../bookkeeping/order.ts';
import type { Topic } from '../../sources/report/models.ts';
import { costOf, joinDates, listBounds } from '../cost.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { checkedId, idForms } from '../inputs.ts';
import { searchDates } from '../joins/report-side.ts';
import { saleFromLookup, type MoneyMovementShape } from '../joins/shapes.ts';
import { NotFoundError, notFoundAs } from './errors.ts';
import { Ledger, ledgerById, visibleLedger } from './ledger.ts';
import { MoneyMovement } from './money-movement.ts';
import { Money } from './money.ts';
import { Sale } from './sale.ts';

export interface OrderShape {
  ledgerId: string;
  reference: string;
}

const salesOf = (context: Context, order: OrderShape) =>
  context.sales.byReference.load(order).then((entries) => entries.map((entry) => saleFromLookup(order.ledgerId, entry)));

/**
 * The Report API has no lookup by reference, so an order's movements are read from the dates
 * its sales point at, through the request's `day` loader: where the feed mirror has a sale's
 * pspReference, the dates it names (a dispute weeks later included); otherwise the sale's date
 * and the next, which hold its capture or refund and its fees.
 */
async function movementsOf(context: Context, order: OrderShape): Promise<MoneyMovementShape[]> {
  const sales = await salesOf(context, order);
  const topics: Topic[] = ['funds', 'fees'];
  const days = await Promise.all(
    topics.map(async (topic) => {
      const perSale = await Promise.all(sales.map((sale) => searchDates(context, sale, topic)));
      const dates = [...new Set(perSale.flat())].sort();
      return Promise.all(dates.map((date) => context.report.day.load({ ledgerId: order.ledgerId, topic, date })));
    }),
  );
  return days.flat().flatMap((day) =>
    (day.byReference.get(order.reference) ?? []).map((entry) => ({ ledgerId: order.ledgerId, topic: day.topic, entry })),
  );
}

/** Null for an order without sales (it has no currency to speak of). */
async function totalsOf(context: Context, order: OrderShape): Promise<{ totals: OrderTotals; currency: string } | null> {
  const [sales, movements] = await Promise.all([salesOf(context, order), movementsOf(context, order)]);
  const currency = sales[0]?.entry.currency;
  if (currency === undefined) return null;
  return { totals: orderTotals(sales.map((sale) => sale.entry), movements), currency };
}

export const Order = builder.objectRef<OrderShape>('Order').implement({
  description: 'An order: every capture and refund made under one merchant reference, and the money movements they caused.',
  fields: (t) => {
    const total = (key: keyof OrderTotals, description: string) =>
      t.field({
        type: Money,
        nullable: true,
        description,
        resolve: async (order, _args, context) => {
          const found = await totalsOf(context, order);
          return found === null ? null : { minorUnits: found.totals[key], currency: found.currency };
        },
      });
    return {
      ledgerId: t.string({ description: 'The ledger the order was paid to.', resolve: (order) => order.ledgerId }),
      ledger: t.field({
        type: Ledger,
        nullable: true,
        description: 'The ledger the order was paid to.',
        resolve: (order, _args, context) => ledgerById(order.ledgerId, context),
      }),
      reference: t.string({
        description: 'The order id (merchant reference), as on every sale and movement of the order.',
        resolve: (order) => order.reference,
      }),
      sales: t.field({
        extensions: costOf((c) => c.lists(listBounds.salesPerOrder)),
        type: [Sale],
        nullable: true,
        description: 'Every capture and refund of the order, in upstream order. Costs one Sales API lookup per distinct order.',
        resolve: (order, _args, context) => salesOf(context, order),
      }),
      moneyMovements: t.field({
        extensions: costOf((c) => {
        c.chargeJoins(['funds', 'fees'], 2 * joinDates);
        c.lists(listBounds.movementsPerOrder);
      }),
        type: [MoneyMovement],
        nullable: true,
        description:
          "Funds and fees entries with the order's reference: on the dates the feed mirror names for its sales, or else on " +
          'the dates of its sales and the dates after them (a dispute weeks later is then not found).',
        resolve: (order, _args, context) => movementsOf(context, order),
      }),
      captured: total('captured', 'What its captures took, per the Sales API.'),
      refunded: total('refunded', 'What its refunds gave back, per the Sales API (negative).'),
      net: total('net', '`captured + refunded`.'),
      fees: total('fees', 'Its fees entries summed: capture fees and corrections of them (negative).'),
      booked: total('booked', 'Its funds entries summed: captures, refunds, disputes and adjustments as the ledger booked them.'),
      disputed: total('disputed', 'Its dispute entries summed (retained negative, returned positive).'),
    };
  },
});

builder.queryField('order', (t) =>
  t.field({
    extensions: costOf((c) => {
      c.reads(1);
      c.joinsOn(2 * joinDates);
    }),
    type: Order,
    nullable: true,
    description:
      'One order by its merchant reference. Answers `NotFoundError` when the ledger is not visible to you or the order has no sales.',
    errors: { types: [NotFoundError], union: { name: 'OrderResult', description: 'The order, or why there is none.' } },
    args: {
      ledgerId: t.arg.string({ required: true, description: 'The upstream ledger id.' }),
      reference: t.arg.string({ required: true, description: 'The order id (merchant reference).' }),
    },
    resolve: async (_root, { ledgerId, reference }, context) => {
      checkedId('ledgerId', ledgerId, idForms.ledgerId);
      checkedId('reference', reference, idForms.reference);
      await visibleLedger(ledgerId, context);
      const entries = await context.sales.byReference.load({ ledgerId, reference }).catch(notFoundAs('Ledger', ledgerId));
      if (entries.length === 0) {
        const message = `No sales with reference ${JSON.stringify(reference)} on ledger ${JSON.stringify(ledgerId)}.`;
        throw new NotFoundError('Order', reference, message);
      }
      return { ledgerId, reference };
    },
  }),
);

import type { Topic } from '../../sources/report/models.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { badInput } from '../input-errors.ts';
import { reportDatesFor, saleFromLookup, type MoneyMovementShape } from '../joins/shapes.ts';
import { NotFoundError, notFoundAs } from './errors.ts';
import { Ledger } from './ledger.ts';
import { MoneyMovement } from './money-movement.ts';
import { Sale } from './sale.ts';

export interface OrderShape {
  ledgerId: string;
  reference: string;
}

const salesOf = (context: Context, order: OrderShape) =>
  context.sales.byReference.load(order).then((entries) => entries.map((entry) => saleFromLookup(order.ledgerId, entry)));

/**
 * The Report API has no lookup by reference, so an order's movements are read from the dates
 * its sales point at (each sale's date and the next), through the request's `day` loader.
 */
async function movementsOf(context: Context, order: OrderShape): Promise<MoneyMovementShape[]> {
  const sales = await salesOf(context, order);
  const dates = [...new Set(sales.flatMap(reportDatesFor))].sort();
  const topics: Topic[] = ['funds', 'fees'];
  const days = await Promise.all(
    topics.flatMap((topic) => dates.map((date) => context.report.day.load({ ledgerId: order.ledgerId, topic, date }))),
  );
  return days.flatMap((day) =>
    (day.byReference.get(order.reference) ?? []).map((entry) => ({ ledgerId: order.ledgerId, topic: day.topic, entry })),
  );
}

export const Order = builder.objectRef<OrderShape>('Order').implement({
  description: 'An order: every capture and refund made under one merchant reference, and the money movements they caused.',
  fields: (t) => ({
    ledgerId: t.string({ description: 'The ledger the order was paid to.', resolve: (order) => order.ledgerId }),
    ledger: t.field({
      type: Ledger,
      nullable: true,
      description: 'The ledger the order was paid to.',
      resolve: (order) => order.ledgerId,
    }),
    reference: t.string({
      description: 'The order id (merchant reference), as on every sale and movement of the order.',
      resolve: (order) => order.reference,
    }),
    sales: t.field({
      type: [Sale],
      nullable: true,
      description: 'Every capture and refund of the order, in upstream order. Costs one Sales API lookup per distinct order.',
      resolve: (order, _args, context) => salesOf(context, order),
    }),
    moneyMovements: t.field({
      type: [MoneyMovement],
      nullable: true,
      description: "Funds and fees entries with the order's reference on the dates of its sales and the dates after them.",
      resolve: (order, _args, context) => movementsOf(context, order),
    }),
  }),
});

builder.queryField('order', (t) =>
  t.field({
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
      if (ledgerId.trim() === '') throw badInput('ledgerId', 'must not be empty');
      if (reference === '') throw badInput('reference', 'must not be empty');
      const entries = await context.sales.byReference.load({ ledgerId, reference }).catch(notFoundAs('Ledger', ledgerId));
      if (entries.length === 0) {
        const message = `No sales with reference ${JSON.stringify(reference)} on ledger ${JSON.stringify(ledgerId)}.`;
        throw new NotFoundError('Order', reference, message);
      }
      return { ledgerId, reference };
    },
  }),
);

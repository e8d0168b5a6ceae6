import { orderTotals, type OrderTotals } from '../../bookkeeping/order.ts';
import { historyWindowDays } from '../../kernel/booking-window.ts';
import { costOf, joinDates, listBounds } from '../cost.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { checkedId, idForms } from '../inputs.ts';
import { moneyHistory, type MoneyHistory as MoneyHistoryData } from '../joins/history.ts';
import { saleFromLookup } from '../joins/shapes.ts';
import { NotFoundError, notFoundAs } from './errors.ts';
import { Ledger, ledgerById, visibleLedger } from './ledger.ts';
import { MoneyHistory, historyDays, historyDaysArg } from './money-history.ts';
import { MoneyMovement } from './money-movement.ts';
import { Money, MoneyShape } from './money.ts';
import { Sale } from './sale.ts';

export interface OrderShape {
  ledgerId: string;
  reference: string;
}

const salesOf = (context: Context, order: OrderShape) =>
  context.sales.byReference.load(order).then((entries) => entries.map((entry) => saleFromLookup(order.ledgerId, entry)));

/**
 * The Report API has no lookup by reference: an order's movements are searched like a sale's,
 * by its reference, from the date of its first sale (see joins/history.ts): through the feed
 * mirror at any distance, or over a window of dates after its last sale.
 */
async function orderMoney(context: Context, order: OrderShape, days: number): Promise<MoneyHistoryData | null> {
  const dates = (await salesOf(context, order)).flatMap((sale) => sale.salesDates).sort();
  const [from] = dates;
  if (from === undefined) return null;
  const subject = { ledgerId: order.ledgerId, from, to: dates.at(-1) ?? from, key: { reference: order.reference } };
  return moneyHistory(context, order, subject, { kind: 'history', days });
}

/** Null for an order without sales (it has no currency to speak of). */
async function totalsOf(context: Context, order: OrderShape): Promise<{ totals: OrderTotals; currency: string } | null> {
  const [sales, money] = await Promise.all([salesOf(context, order), orderMoney(context, order, historyWindowDays)]);
  const currency = sales[0]?.entry.currency;
  if (currency === undefined || money === null) return null;
  return { totals: orderTotals(sales.map((sale) => sale.entry), [...money.funds, ...money.fees]), currency };
}

export const Order = builder.objectRef<OrderShape>('Order').implement({
  description: 'An order: every capture and refund made under one merchant reference, and the money movements they caused.',
  fields: (t) => {
    const total = (key: keyof OrderTotals, description: string, readsMoney = true) =>
      t.field({
        ...(readsMoney ? { extensions: costOf((c) => c.chargeHistory(['funds', 'fees'], historyWindowDays)) } : {}),
        type: Money,
        nullable: true,
        description,
        resolve: async (order, _args, context) => {
          const found = await totalsOf(context, order);
          return found === null ? null : new MoneyShape(found.totals[key], found.currency);
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
          c.chargeHistory(['funds', 'fees'], historyWindowDays);
          c.lists(listBounds.movementsPerOrder);
        }),
        type: [MoneyMovement],
        nullable: true,
        description:
          "Every funds and fees entry with the order's reference, funds then fees: as `history.movements` has them " +
          `(${historyWindowDays} dates after its last sale without the feed mirror); ask for \`history\` to know whether it is complete.`,
        resolve: async (order, _args, context) => {
          const money = await orderMoney(context, order, historyWindowDays);
          return money === null ? [] : [...money.funds, ...money.fees];
        },
      }),
      history: t.field({
        extensions: costOf((c) => c.chargeHistory(['funds', 'fees'], historyDays(typeof c.args.days === 'number' ? c.args.days : null))),
        type: MoneyHistory,
        nullable: true,
        description:
          "The order's whole money history: every funds and fees entry with its reference at any date distance where the feed " +
          'mirror covers the ledger; otherwise those in a window of ledger dates, with how far that reached. Null for an order without sales.',
        args: { days: t.arg(historyDaysArg) },
        resolve: async (order, args, context) => {
          const [sales, history] = await Promise.all([salesOf(context, order), orderMoney(context, order, historyDays(args.days))]);
          const currency = sales[0]?.entry.currency;
          return history === null || currency === undefined ? null : { history, currency };
        },
      }),
      captured: total('captured', 'What its captures took, per the Sales API.', false),
      refunded: total('refunded', 'What its refunds gave back, per the Sales API (negative).', false),
      net: total('net', '`captured + refunded`.', false),
      fees: total('fees', 'Its fees entries summed: capture fees and corrections of them (negative), as far as `history` reaches.'),
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

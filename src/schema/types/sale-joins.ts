import { costOf, joinDates, listBounds } from '../cost.ts';
import { builder } from '../builder.ts';
import { pageSearchOf } from '../joins/page-search.ts';
import { findAllReportEntries, findFees, findFunds } from '../joins/report-side.ts';
import { MoneyMovement } from './money-movement.ts';
import { Order } from './order.ts';
import { Sale } from './sale.ts';
import { Settlement, settlementOf } from './settlement.ts';

/*
 * The join from what was sold to what happened to the money, on `pspReference`. Every field
 * reads whole Report dates through the request's `day` loader (see joins/report-side.ts), so a
 * page of sales costs one or two fetches per account, and cash costs none.
 */
builder.objectFields(Sale, (t) => ({
  captures: t.field({
    extensions: costOf((c) => {
      c.chargeJoins(['funds']);
      c.lists(listBounds.movementsPerSale);
    }),
    type: [MoneyMovement],
    nullable: true,
    description:
      "The funds entries with this sale's pspReference: the capture (or, for a refund, the refund entry) and any " +
      "later dispute on the same date. Looked for on the sale's ledger date, then the next (captures past the cut-off). " +
      'Empty for cash.',
    resolve: (sale, _args, context) => pageSearchOf(sale, 'funds')?.movements ?? findFunds(context, sale).then((found) => found.movements),
  }),
  fees: t.field({
    extensions: costOf((c) => {
      c.chargeJoins(['fees']);
      c.lists(listBounds.movementsPerSale);
    }),
    type: [MoneyMovement],
    nullable: true,
    description:
      "The fees entries with this sale's pspReference (`capture-fee`, and corrections of it) on the sale's ledger date " +
      'and the next; a capture may have several. Empty for cash.',
    resolve: (sale, _args, context) => pageSearchOf(sale, 'fees')?.movements ?? findFees(context, sale).then((found) => found.movements),
  }),
  moneyMovements: t.field({
    extensions: costOf((c) => {
      c.chargeJoins(['funds', 'fees']);
      c.lists(listBounds.movementsPerSale);
    }),
    type: [MoneyMovement],
    nullable: true,
    description: "All entries of both accounts with this sale's pspReference: `captures` followed by `fees`.",
    resolve: (sale, _args, context) => findAllReportEntries(context, sale),
  }),
  settlement: t.field({
    extensions: costOf((c) => c.chargeJoins(['funds'])),
    type: Settlement,
    nullable: true,
    description:
      "Whether the sale's money is booked on a closed ledger date (`SETTLED`), still open (`PENDING`), missing, or cash.",
    resolve: (sale, _args, context) => settlementOf(context, sale),
  }),
  order: t.field({
    extensions: costOf((c) => {
      // One lookup of the order's sales by its reference, per sale listed.
      c.readsPerItem(1);
      c.joinsOn(2 * joinDates);
    }),
    type: Order,
    description: 'The order this sale belongs to, by its reference.',
    resolve: (sale) => ({ ledgerId: sale.ledgerId, reference: sale.entry.reference }),
  }),
}));

import { builder } from '../builder.ts';
import { findAllReportEntries, findReportEntries } from '../joins/report-side.ts';
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
    type: [MoneyMovement],
    description:
      'The funds entries with this sale\'s pspReference: the capture (or, for a refund, the refund entry) and any ' +
      'later dispute on the same date. Looked for on the sale\'s ledger date, then the next (captures past the cut-off). ' +
      'Empty for cash.',
    resolve: async (sale, _args, context) => (await findReportEntries(context, sale, 'funds')).movements,
  }),
  fees: t.field({
    type: [MoneyMovement],
    description: 'The fees entries (`capture-fee`) with this sale\'s pspReference, on the sale\'s ledger date or the next. Empty for cash.',
    resolve: async (sale, _args, context) => (await findReportEntries(context, sale, 'fees')).movements,
  }),
  moneyMovements: t.field({
    type: [MoneyMovement],
    description: 'All entries of both accounts with this sale\'s pspReference: `captures` followed by `fees`.',
    resolve: (sale, _args, context) => findAllReportEntries(context, sale),
  }),
  settlement: t.field({
    type: Settlement,
    description: 'Whether the sale\'s money is booked on a closed ledger date (`SETTLED`), still open (`PENDING`), missing, or cash.',
    resolve: (sale, _args, context) => settlementOf(context, sale),
  }),
  order: t.field({
    type: Order,
    description: 'The order this sale belongs to, by its reference.',
    resolve: (sale) => ({ ledgerId: sale.ledgerId, reference: sale.entry.reference }),
  }),
}));

import { historyWindowDays } from '../../kernel/booking-window.ts';
import { costOf, joinDates, listBounds } from '../cost.ts';
import { builder } from '../builder.ts';
import { movementsOf, saleAccount, saleMoney } from '../joins/sale-money.ts';
import { MoneyHistory, historyDays, historyDaysArg } from './money-history.ts';
import { MoneyMovement } from './money-movement.ts';
import { Order } from './order.ts';
import { Sale } from './sale.ts';
import { Settlement, settlementOf } from './settlement.ts';

/*
 * The join from what was sold to what happened to the money, on `pspReference`. Every field
 * reads whole Report dates through the request's `day` loader (see joins/history.ts), so a page
 * of sales costs one fetch per account and date, and cash costs none. `captures`, `fees` and
 * `settlement` look where a sale's own capture and fees are booked (its date and the next) and
 * wherever the feed mirror names; `moneyMovements` and `history` look for everything after.
 */
const booking = { kind: 'booking' } as const;
const defaultHistory = { kind: 'history', days: historyWindowDays } as const;

builder.objectFields(Sale, (t) => ({
  captures: t.field({
    extensions: costOf((c) => {
      c.chargeJoins(['funds']);
      c.lists(listBounds.movementsPerSale);
    }),
    type: [MoneyMovement],
    nullable: true,
    description:
      "The funds entries with this sale's pspReference: the capture (or, for a refund, the refund entry) and what followed " +
      "it on the same dates. Read on the sale's ledger date and the next (a capture past the cut-off lands there), and, " +
      'where the feed mirror covers the ledger, on every date it names, at any distance. `history` has the rest and says ' +
      'how far it looked. Empty for cash.',
    resolve: (sale, _args, context) => movementsOf(saleAccount(context, sale, 'funds', booking)),
  }),
  fees: t.field({
    extensions: costOf((c) => {
      c.chargeJoins(['fees']);
      c.lists(listBounds.movementsPerSale);
    }),
    type: [MoneyMovement],
    nullable: true,
    description:
      "The fees entries with this sale's pspReference (`capture-fee`, and corrections of it) on the sale's ledger date and " +
      'the next, and wherever the feed mirror names; a capture may have several. Empty for cash.',
    resolve: (sale, _args, context) => movementsOf(saleAccount(context, sale, 'fees', booking)),
  }),
  moneyMovements: t.field({
    extensions: costOf((c) => {
      c.chargeHistory(['funds', 'fees'], historyWindowDays);
      c.lists(listBounds.movementsPerSale);
    }),
    type: [MoneyMovement],
    nullable: true,
    description:
      "Every entry of both accounts with this sale's pspReference, funds then fees: its capture or refund, fees, disputes " +
      `and their returns, corrections, adjustments. The same as \`history.movements\` (${historyWindowDays} dates without the feed mirror); ` +
      'ask for `history` to know whether it is complete.',
    resolve: (sale, _args, context) => saleMoney(context, sale, defaultHistory).then((found) => [...found.funds, ...found.fees]),
  }),
  history: t.field({
    extensions: costOf((c) => c.chargeHistory(['funds', 'fees'], historyDays(typeof c.args.days === 'number' ? c.args.days : null))),
    type: MoneyHistory,
    nullable: true,
    description:
      "The sale's whole money history: every funds and fees entry with its pspReference at any date distance where the feed " +
      'mirror covers the ledger; otherwise those in a window of ledger dates from its date, with how far that reached.',
    args: { days: t.arg(historyDaysArg) },
    resolve: async (sale, args, context) => ({
      history: await saleMoney(context, sale, { kind: 'history', days: historyDays(args.days) }),
      currency: sale.entry.currency,
    }),
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

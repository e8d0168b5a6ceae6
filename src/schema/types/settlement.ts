import { costOf, listBounds } from '../cost.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { findFunds } from '../joins/report-side.ts';
import type { MoneyMovementShape, SaleShape } from '../joins/shapes.ts';
import { MoneyMovement } from './money-movement.ts';

type SettlementStatusValue = 'SETTLED' | 'PENDING' | 'NOT_FOUND' | 'NOT_APPLICABLE';

export interface SettlementShape {
  status: SettlementStatusValue;
  ledgerDate: string | null;
  movements: MoneyMovementShape[];
  checkedDates: string[];
}

export const SettlementStatus = builder.enumType('SettlementStatus', {
  description: "Where a sale's money stands on its ledger's funds account.",
  values: {
    SETTLED: { description: "Booked on a closed ledger date: final, and counted in that date's payout calculation." },
    PENDING: { description: 'Booked on a date that is still open, or not booked yet while a date it can land on is still open.' },
    NOT_FOUND: { description: "Not on any closed date it can land on (the sale's date or the next). Worth a look by a person." },
    NOT_APPLICABLE: { description: 'Cash: no money moves through Vipps MobilePay, so nothing is ever booked.' },
  } as const satisfies Record<SettlementStatusValue, { description: string }>,
});

/**
 * Settlement reads the funds dates that `Sale.captures` reads, through the same loader, so
 * asking for both costs nothing more. Cash answers at once, without an upstream call.
 */
export async function settlementOf(context: Context, sale: SaleShape): Promise<SettlementShape> {
  if (sale.entry.pspReference === null) {
    return { status: 'NOT_APPLICABLE', ledgerDate: null, movements: [], checkedDates: [] };
  }
  const search = await findFunds(context, sale);
  const checkedDates = search.checked.map((day) => day.date);
  if (search.foundOn !== null) {
    const status = search.foundOn.isClosed ? 'SETTLED' : 'PENDING';
    return { status, ledgerDate: search.foundOn.date, movements: search.movements, checkedDates };
  }
  const anyOpen = search.checked.some((day) => !day.isClosed);
  return { status: anyOpen ? 'PENDING' : 'NOT_FOUND', ledgerDate: null, movements: [], checkedDates };
}

export const Settlement = builder.objectRef<SettlementShape>('Settlement').implement({
  description: "How a sale's money was booked on the funds account of its ledger.",
  fields: (t) => ({
    status: t.field({
      type: SettlementStatus,
      description: 'Where the money stands.',
      resolve: (settlement) => settlement.status,
    }),
    ledgerDate: t.field({
      type: 'Date',
      nullable: true,
      description: 'The ledger date the money is booked on; null unless found.',
      resolve: (settlement) => settlement.ledgerDate,
    }),
    movements: t.field({
      type: [MoneyMovement],
      extensions: costOf((c) => c.lists(listBounds.movementsPerSale)),
      description: "The funds entries with the sale's pspReference on that date (the capture or refund, and any dispute).",
      resolve: (settlement) => settlement.movements,
    }),
    checkedDates: t.field({
      type: ['Date'],
      description: 'The ledger dates that were read to decide, in the order they were read.',
      resolve: (settlement) => settlement.checkedDates,
    }),
  }),
});

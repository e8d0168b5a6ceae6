import { bookingDates } from '../../kernel/booking-window.ts';
import { movementKindOf, type MovementKind } from '../../kernel/movement-kinds.ts';
import { costOf, listBounds } from '../cost.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { saleAccount } from '../joins/sale-money.ts';
import type { MoneyMovementShape, SaleShape } from '../joins/shapes.ts';
import { MoneyMovement } from './money-movement.ts';

type SettlementStatusValue = 'SETTLED' | 'PENDING' | 'NOT_FOUND' | 'NOT_APPLICABLE';

export interface SettlementShape {
  status: SettlementStatusValue;
  ledgerDate: string | null;
  movements: readonly MoneyMovementShape[];
  checkedDates: string[];
  checkedThrough: string | null;
  complete: boolean;
}

export const SettlementStatus = builder.enumType('SettlementStatus', {
  description: "Where a sale's money stands on its ledger's funds account.",
  values: {
    SETTLED: { description: "Booked on a closed ledger date: final, and counted in that date's payout calculation." },
    PENDING: { description: 'Booked on a date that is still open, or not booked yet while a date it can land on is still open or has not begun.' },
    NOT_FOUND: { description: "Not on any closed date it can land on (the sale's date or the next). Worth a look by a person." },
    NOT_APPLICABLE: { description: 'Cash: no money moves through Vipps MobilePay, so nothing is ever booked.' },
  } as const satisfies Record<SettlementStatusValue, { description: string }>,
});

const ownKinds: ReadonlySet<MovementKind> = new Set(['CAPTURE', 'REFUND']);

/**
 * Settlement reads the funds dates that `Sale.captures` reads, through the same search, so
 * asking for both costs nothing more. Cash answers at once, without an upstream call.
 */
export async function settlementOf(context: Context, sale: SaleShape): Promise<SettlementShape> {
  const found = await saleAccount(context, sale, 'funds', { kind: 'booking' });
  const { checkedThrough, complete } = found.plan;
  const checkedDates = found.days.map((day) => day.date);
  if (sale.entry.pspReference === null) return { status: 'NOT_APPLICABLE', ledgerDate: null, movements: [], checkedDates, checkedThrough, complete };
  const own = found.movements.find((movement) => ownKinds.has(movementKindOf(movement.entry.entryType)));
  if (own !== undefined) {
    const day = found.days.find((candidate) => candidate.date === own.entry.ledgerDate);
    return { status: day?.isClosed ? 'SETTLED' : 'PENDING', ledgerDate: own.entry.ledgerDate, movements: found.movements, checkedDates, checkedThrough, complete };
  }
  // Not booked: pending while a date it can land on is open, or has not begun.
  const lastBookingDate = bookingDates([...sale.salesDates].sort().at(-1) ?? '').at(-1) ?? '';
  const canStillArrive = checkedThrough === null || checkedThrough < lastBookingDate || found.days.some((day) => !day.isClosed);
  return { status: canStillArrive ? 'PENDING' : 'NOT_FOUND', ledgerDate: null, movements: [], checkedDates, checkedThrough, complete };
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
      description: 'The ledger date its capture or refund entry is booked on; null unless found.',
      resolve: (settlement) => settlement.ledgerDate,
    }),
    movements: t.field({
      type: [MoneyMovement],
      extensions: costOf((c) => c.lists(listBounds.movementsPerSale)),
      description:
        "The funds entries with the sale's pspReference on the dates read (its capture or refund, and a dispute that followed " +
        'on them), as `Sale.captures` has them.',
      resolve: (settlement) => settlement.movements,
    }),
    checkedDates: t.field({
      type: ['Date'],
      description: 'The funds dates that were read to decide, oldest first.',
      resolve: (settlement) => settlement.checkedDates,
    }),
    checkedThrough: t.field({
      type: 'Date',
      nullable: true,
      description: 'Every ledger date through this one was covered (read, or complete in the feed mirror).',
      resolve: (settlement) => settlement.checkedThrough,
    }),
    complete: t.boolean({
      description: "Whether what was covered reaches the newest ledger date: `movements` then misses nothing that exists now.",
      resolve: (settlement) => settlement.complete,
    }),
  }),
});

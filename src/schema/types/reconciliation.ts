import { addExact } from '../../kernel/exact.ts';
import { reconcileDates } from '../../bookkeeping/reconcile-dates.ts';
import type {
  Reconciliation as ReconciliationData,
  ReconciliationTotals as ReconciliationTotalsData,
  SaleOutcome,
  WithoutSaleReason,
} from '../../bookkeeping/reconcile.ts';
import { grossOf } from '../../bookkeeping/vat.ts';
import type { ReportEntry } from '../../sources/report/models.ts';
import type { SalesEntry } from '../../sources/sales/models.ts';
import { costOf, joinDates, listBounds } from '../cost.ts';
import { builder } from '../builder.ts';
import { MoneyMovementShape, saleOnDate } from '../joins/shapes.ts';
import { checkedDate, ledgerReader } from '../ledger-reads.ts';
import { latestCutoffHour, ledgerTimeZone } from '../../kernel/booking-window.ts';
import { salesAvailabilityOver } from '../../kernel/sales-availability.ts';
import { Money, MoneyShape, money } from './money.ts';
import { SolutionAvailability } from './sales-availability.ts';
import { Ledger } from './ledger.ts';
import { MoneyMovement } from './money-movement.ts';
import { Sale } from './sale.ts';

export interface ReconciliationShape {
  ledgerId: string;
  currency: string;
  data: ReconciliationData;
}

interface ReconciledSaleShape {
  ledgerId: string;
  sale: SalesEntry;
  salesDate: string;
  outcome: SaleOutcome;
  movement: ReportEntry | null;
}

const SaleReconciliationOutcome = builder.enumType('SaleReconciliationOutcome', {
  description: "How a sale's money was found on the funds account.",
  values: {
    MATCHED: { description: 'Booked on the dates reconciled, with the same amount.' },
    BOOKED_NEXT_DATE: { description: 'Booked past the cut-off on the date after, with the same amount: it counts there.' },
    AMOUNT_MISMATCH: { description: 'Booked, but with another amount than the sale.' },
    PENDING: { description: 'Not booked yet, and a date it can land on is still open.' },
    UNMATCHED: { description: 'Not booked on the closed dates it can land on (its own date or the next). Worth a look by a person.' },
  } as const satisfies Record<SaleOutcome, { description: string }>,
});

const MovementWithoutSaleReason = builder.enumType('MovementWithoutSaleReason', {
  description: 'Why a money movement has no sale of its own, when none is expected.',
  values: {
    API_PAYMENT: { description: 'A payment to an API merchant (`api:` handle, e.g. ePayment): the Sales API does not cover those.' },
    SALES_DATA_NOT_AVAILABLE: {
      description:
        'A capture or refund from before the Sales API holds data for every solution (before 2026-04-22 11:04 UTC): its sale ' +
        'may be of a solution whose Sales data does not exist yet. Not a mismatch.',
    },
    LEDGER_ENTRY: { description: 'Booked for the ledger, not for a sale: payouts, fee settlements, top-ups, corrections.' },
    DISPUTE: { description: 'A dispute of an earlier capture (with its pspReference), not a sale of its own.' },
    ADJUSTMENT: { description: "An adjustment of a sale's money of a type other than capture or refund (or a type not known yet)." },
  } as const satisfies Record<WithoutSaleReason, { description: string }>,
});

const ReconciledSale = builder.objectRef<ReconciledSaleShape & { currency: string }>('ReconciledSale').implement({
  description: 'A sale and the funds entry that booked its money, if any.',
  fields: (t) => ({
    sale: t.field({ type: Sale, description: 'The sale.', resolve: (item) => saleOnDate(item.ledgerId, item.salesDate, item.sale) }),
    outcome: t.field({ type: SaleReconciliationOutcome, description: 'How its money was found.', resolve: (item) => item.outcome }),
    movement: t.field({
      type: MoneyMovement,
      nullable: true,
      description: 'Its capture or refund entry; null when none was found.',
      resolve: (item) => (item.movement === null ? null : new MoneyMovementShape(item.ledgerId, 'funds', item.movement)),
    }),
    difference: t.field({
      type: Money,
      nullable: true,
      description: 'Booked amount minus sale gross; null when nothing was booked.',
      resolve: (item) =>
        item.movement === null ? null : money(addExact(item.movement.amount, -grossOf(item.sale)), item.currency),
    }),
  }),
});

const MovementWithoutSale = builder
  .objectRef<{ ledgerId: string; movement: ReportEntry; reason: WithoutSaleReason | null }>('MovementWithoutSale')
  .implement({
    description: 'A funds entry of the dates that no sale of the dates (or of the date before) explains.',
    fields: (t) => ({
      movement: t.field({
        type: MoneyMovement,
        description: 'The entry.',
        resolve: (item) => new MoneyMovementShape(item.ledgerId, 'funds', item.movement),
      }),
      reason: t.field({
        type: MovementWithoutSaleReason,
        nullable: true,
        description: 'Why no sale is expected; null when one is, and is missing.',
        resolve: (item) => item.reason,
      }),
      isExpected: t.boolean({ description: 'Whether having no sale is normal for this entry.', resolve: (item) => item.reason !== null }),
    }),
  });

const ReconciliationTotals = builder.objectRef<{ data: ReconciliationTotalsData; currency: string }>('ReconciliationTotals').implement({
  description: 'The sums of a reconciliation, exact.',
  fields: (t) => {
    const total = (key: keyof ReconciliationTotalsData, description: string) =>
      t.field({ type: Money, description, resolve: ({ data, currency }) => new MoneyShape(data[key], currency) });
    return {
      salesGross: total('salesGross', 'Gross of the sales that move money (cash left out).'),
      bookedForSales: total('bookedForSales', 'What their capture and refund entries booked, on the dates or the date after.'),
      difference: total(
        'difference',
        '`bookedForSales − salesGross`: zero when everything matched; equals `mismatchDifference − pendingGross − unmatchedGross`.',
      ),
      mismatchDifference: total('mismatchDifference', 'Booked minus sold, over the amount mismatches.'),
      pendingGross: total('pendingGross', 'Gross of the sales not booked yet while a date is open.'),
      unmatchedGross: total('unmatchedGross', 'Gross of the sales not booked on the closed dates they can land on.'),
      bookedOnNextDate: total('bookedOnNextDate', 'The part of `bookedForSales` booked on the date after the dates.'),
      earlierSalesAmount: total('earlierSalesAmount', 'What the dates booked for sales of the date before.'),
      withoutSaleAmount: total('withoutSaleAmount', 'What the movements without a sale booked.'),
      unexpectedAmount: total('unexpectedAmount', 'What the movements without a sale and without a reason booked.'),
      movementsAmount: total('movementsAmount', 'Every funds entry of the dates: the change of the funds balance over them.'),
    };
  },
});

const reconciledSales = (shape: ReconciliationShape, items: ReadonlyArray<Omit<ReconciledSaleShape, 'ledgerId'>>) =>
  items.map((item) => ({ ...item, ledgerId: shape.ledgerId, currency: shape.currency }));

const withOutcome = (shape: ReconciliationShape, outcomes: readonly SaleOutcome[]) =>
  reconciledSales(
    shape,
    shape.data.sales.filter((item) => outcomes.includes(item.outcome)),
  );

export const Reconciliation = builder.objectRef<ReconciliationShape>('Reconciliation').implement({
  description:
    'Sales against money movements over consecutive ledger dates (one date, or the dates a payout covers), matched on ' +
    "pspReference. Every funds entry of the dates ends up with its sale or in `movementsWithoutSale`; a sale booked past " +
    'the cut-off is looked for on the date after, and a movement may belong to a sale of the date before.',
  fields: (t) => ({
    ledgerDates: t.field({ type: ['Date'], description: 'The dates reconciled, oldest first.', resolve: (shape) => shape.data.dates }),
    isFinal: t.boolean({
      description: 'Every date read (and the date after) is closed, so nothing can change any more.',
      resolve: (shape) => shape.data.isFinal,
    }),
    salesCount: t.int({ description: 'Sales of the dates that move money (cash left out).', resolve: (shape) => shape.data.sales.length }),
    matchedCount: t.int({
      description: 'Of those, booked on the dates (or past the cut-off on the date after) with the same amount.',
      resolve: (shape) => shape.data.sales.filter((item) => item.outcome === 'MATCHED' || item.outcome === 'BOOKED_NEXT_DATE').length,
    }),
    cashSalesCount: t.int({ description: 'Cash sales: no money moves, nothing to match.', resolve: (shape) => shape.data.cashSales.length }),
    salesData: t.field({
      type: [SolutionAvailability],
      description:
        'For each solution, whether the Sales API has data for the dates at all: before its availability floor a capture without ' +
        'a sale is not a mismatch (reason `SALES_DATA_NOT_AVAILABLE`).',
      resolve: (shape) => salesAvailabilityOver(shape.data.dates, ledgerTimeZone(shape.currency), latestCutoffHour),
    }),
    isSalesDataComplete: t.boolean({
      description: 'Whether the Sales API has data for the whole of every date for every solution (see `salesData`).',
      resolve: (shape) => salesAvailabilityOver(shape.data.dates, ledgerTimeZone(shape.currency), latestCutoffHour).every((item) => item.coverage === 'FULL'),
    }),
    sales: t.field({
      extensions: costOf((c) => c.lists(listBounds.perDate)),
      type: [ReconciledSale],
      description: 'The sales of the dates that move money, with their outcome; only the outcomes given, when given.',
      args: { outcomes: t.arg({ type: [SaleReconciliationOutcome], required: false, description: 'Only these outcomes.' }) },
      resolve: (shape, args) => withOutcome(shape, args.outcomes ?? ['MATCHED', 'BOOKED_NEXT_DATE', 'AMOUNT_MISMATCH', 'PENDING', 'UNMATCHED']),
    }),
    salesWithoutMovement: t.field({
      extensions: costOf((c) => c.lists(listBounds.perDate)),
      type: [ReconciledSale],
      description: 'Sales with no funds entry: `PENDING` while a date they can land on is open, `UNMATCHED` after.',
      resolve: (shape) => withOutcome(shape, ['PENDING', 'UNMATCHED']),
    }),
    amountMismatches: t.field({
      extensions: costOf((c) => c.lists(listBounds.perDate)),
      type: [ReconciledSale],
      description: 'Sales booked with another amount, including sales of the date before booked on the dates.',
      resolve: (shape) => [
        ...withOutcome(shape, ['AMOUNT_MISMATCH']),
        ...reconciledSales(shape, shape.data.earlierSales.filter((item) => item.outcome === 'AMOUNT_MISMATCH')),
      ],
    }),
    salesFromDateBefore: t.field({
      extensions: costOf((c) => c.lists(listBounds.perDate)),
      type: [ReconciledSale],
      description: 'Sales of the date before whose capture or refund was booked on the first date (past the cut-off).',
      resolve: (shape) => reconciledSales(shape, shape.data.earlierSales),
    }),
    movementsWithoutSale: t.field({
      extensions: costOf((c) => c.lists(listBounds.perDate)),
      type: [MovementWithoutSale],
      description: 'Funds entries of the dates without a sale, each with the reason when none is expected.',
      resolve: (shape) => shape.data.movementsWithoutSale.map((item) => ({ ...item, ledgerId: shape.ledgerId })),
    }),
    totals: t.field({
      type: ReconciliationTotals,
      description: 'The sums, and the difference between what was sold and what was booked.',
      resolve: (shape) => ({ data: shape.data.totals, currency: shape.currency }),
    }),
  }),
});

builder.objectField(Ledger, 'reconciliation', (t) =>
  t.field({
    extensions: costOf((c) => {
      // The date's funds and sales, the funds of the date after and the sales of the date before.
      c.reads(4);
      c.joinsOn(joinDates);
    }),
    type: Reconciliation,
    nullable: true,
    description:
      'The sales of one ledger date against the funds entries booked on it. Reads the Sales API on the date and the date ' +
      'before, and the funds account on the date and the date after.',
    args: { date: t.arg({ type: 'Date', required: true, description: 'The ledger date.' }) },
    resolve: async (ledger, args, context) => ({
      ledgerId: ledger.ledgerId,
      currency: ledger.currency,
      data: await reconcileDates(ledgerReader(context, ledger.ledgerId), [checkedDate(context, ledger, 'date', args.date)]),
    }),
  }),
);

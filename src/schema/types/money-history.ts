import { historyWindowDays, maxHistoryWindowDays } from '../../kernel/booking-window.ts';
import { isDisputeKind, movementKindOf } from '../../kernel/movement-kinds.ts';
import { sumExact } from '../../kernel/exact.ts';
import { builder } from '../builder.ts';
import type { MoneyHistory as MoneyHistoryData } from '../joins/history.ts';
import { badInput } from '../input-errors.ts';
import type { MoneyMovementShape } from '../joins/shapes.ts';
import { MoneyMovement } from './money-movement.ts';
import { Money, MoneyShape } from './money.ts';

export interface MoneyHistoryShape {
  history: MoneyHistoryData;
  currency: string;
}

export const MoneyHistorySource = builder.enumType('MoneyHistorySource', {
  description: 'How the dates of a money history were found.',
  values: {
    FEED_MIRROR: { description: "The gateway's mirror of the Report feed names every date that holds an entry, at any distance." },
    DATE_WINDOW: { description: `A window of ledger dates was read (see \`checkedFrom\` and \`checkedThrough\`); nothing after it is known.` },
  } as const,
});

/** The `days` argument of every history field. */
export const historyDaysArg = {
  type: 'Int',
  required: false,
  defaultValue: historyWindowDays,
  description:
    `How many ledger dates to search from the sale's date (after the order's last sale) when the feed mirror does not cover ` +
    `the ledger: 1 to ${maxHistoryWindowDays}, ${historyWindowDays} unless given. With the mirror, every date is covered.`,
} as const;

/** The window asked for, or bad input naming `days`. */
export function historyDays(days: number | null | undefined): number {
  const value = days ?? historyWindowDays;
  if (!Number.isInteger(value) || value < 1 || value > maxHistoryWindowDays) throw badInput('days', `must be between 1 and ${maxHistoryWindowDays}; got ${value}`);
  return value;
}

const sum = (movements: readonly MoneyMovementShape[], currency: string) => new MoneyShape(sumExact(movements, (movement) => movement.entry.amount), currency);

export const MoneyHistory = builder.objectRef<MoneyHistoryShape>('MoneyHistory').implement({
  description:
    'Every funds and fees entry of a sale (by its pspReference) or an order (by its reference) that the gateway could find, ' +
    'and how far it looked. With the feed mirror (`source: FEED_MIRROR`) the history is complete at any date distance; ' +
    'without it a window of ledger dates is read, and `complete` says whether that reaches the newest date there is.',
  fields: (t) => ({
    movements: t.field({
      type: [MoneyMovement],
      description: 'The funds entries, then the fees entries, each in ledger-date order: captures, refunds, disputes, adjustments, fees and their corrections.',
      resolve: ({ history }) => [...history.funds, ...history.fees],
    }),
    funds: t.field({ type: [MoneyMovement], description: 'The funds entries, in ledger-date order.', resolve: ({ history }) => history.funds }),
    fees: t.field({ type: [MoneyMovement], description: 'The fees entries, in ledger-date order.', resolve: ({ history }) => history.fees }),
    booked: t.field({
      type: Money,
      description: 'The funds entries summed, exactly: what the ledger booked for it so far.',
      resolve: ({ history, currency }) => sum(history.funds, currency),
    }),
    feesTotal: t.field({ type: Money, description: 'The fees entries summed, exactly (negative: fees).', resolve: ({ history, currency }) => sum(history.fees, currency) }),
    disputed: t.field({
      type: Money,
      description: 'The dispute entries summed, exactly: retained negative, returned positive (zero for a dispute won).',
      resolve: ({ history, currency }) => sum(history.funds.filter((movement) => isDisputeKind(movementKindOf(movement.entry.entryType))), currency),
    }),
    source: t.field({
      type: MoneyHistorySource,
      description: 'Whether the feed mirror named the dates, or a window of dates was read.',
      resolve: ({ history }) => (history.viaMirror ? 'FEED_MIRROR' : 'DATE_WINDOW'),
    }),
    checkedFrom: t.field({ type: 'Date', description: 'The first ledger date covered.', resolve: ({ history }) => history.checkedFrom }),
    checkedThrough: t.field({
      type: 'Date',
      nullable: true,
      description: 'Every ledger date from `checkedFrom` through this one was covered (read, or known complete in the feed mirror).',
      resolve: ({ history }) => history.checkedThrough,
    }),
    complete: t.boolean({
      description:
        'True when nothing that exists now can be missing: the dates covered reach the newest ledger date. Entries can still ' +
        'come later (a dispute weeks after the sale); false means an entry may exist after `checkedThrough`.',
      resolve: ({ history }) => history.complete,
    }),
    checkedDates: t.field({ type: ['Date'], description: 'The ledger dates read upstream (either account), oldest first.', resolve: ({ history }) => history.checkedDates }),
  }),
});

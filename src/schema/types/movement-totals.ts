import { addExact, type Tally } from '../../kernel/exact.ts';
import type { MovementGroup, MovementTotals as MovementTotalsData } from '../../bookkeeping/movements.ts';
import type { AccountBalances as AccountBalancesData } from '../../bookkeeping/period.ts';
import { builder } from '../builder.ts';
import { Money, MoneyShape, money } from './money.ts';
import { MoneyMovementKind, MoneyMovementTopic } from './money-movement.ts';

/** Amounts carry no currency of their own: it is the ledger's. */
export interface InCurrency<Data> {
  data: Data;
  currency: string;
}

export const inCurrency =
  (currency: string) =>
  <Data>(data: Data): InCurrency<Data> => ({ data, currency });

export const MovementTally = builder.objectRef<InCurrency<Tally>>('MovementTally').implement({
  description: 'How many money movements of one kind there were, and their exact sum.',
  fields: (t) => ({
    count: t.int({ description: 'How many entries.', resolve: ({ data }) => data.count }),
    amount: t.field({
      type: Money,
      description: 'Their sum, signed as booked (negative lowers the balance).',
      resolve: ({ data, currency }) => new MoneyShape(data.amount, currency),
    }),
  }),
});

export const MovementTypeTally = builder.objectRef<InCurrency<MovementGroup>>('MovementTypeTally').implement({
  description: 'Every money movement of one raw entry type on one account, counted and summed.',
  fields: (t) => ({
    topic: t.field({ type: MoneyMovementTopic, description: 'The account.', resolve: ({ data }) => data.topic }),
    kind: t.field({ type: MoneyMovementKind, description: 'The entry type as an enum.', resolve: ({ data }) => data.kind }),
    entryType: t.string({ description: 'The raw upstream entry type.', resolve: ({ data }) => data.entryType }),
    count: t.int({ description: 'How many entries.', resolve: ({ data }) => data.count }),
    amount: t.field({
      type: Money,
      description: 'Their sum, signed as booked.',
      resolve: ({ data, currency }) => new MoneyShape(data.amount, currency),
    }),
  }),
});

const FeeTotals = builder.objectRef<InCurrency<MovementTotalsData>>('FeeTotals').implement({
  description: 'Fees: what was charged, and how it was settled.',
  fields: (t) => ({
    captureFees: t.field({
      type: MovementTally,
      description: '`capture-fee` entries on the fees account: the fees charged (negative). A fee may land on the date after its capture.',
      resolve: ({ data, currency }) => inCurrency(currency)(data.captureFees),
    }),
    retained: t.field({
      type: MovementTally,
      description: '`fees-retained` on the funds account: fees withheld from the payout under net settlement (negative).',
      resolve: ({ data, currency }) => inCurrency(currency)(data.feesRetained),
    }),
    invoiced: t.field({
      type: MovementTally,
      description: '`fees-invoiced` on the fees account: fees billed apart under gross settlement (positive: settles the fees).',
      resolve: ({ data, currency }) => inCurrency(currency)(data.feesInvoiced),
    }),
  }),
});

const DisputeTotals = builder.objectRef<InCurrency<MovementTotalsData>>('DisputeTotals').implement({
  description: 'Disputed captures: deducted when disputed, returned when the merchant wins.',
  fields: (t) => ({
    retained: t.field({
      type: MovementTally,
      description: '`retained-disputed-capture` entries (negative).',
      resolve: ({ data, currency }) => inCurrency(currency)(data.disputesRetained),
    }),
    returned: t.field({
      type: MovementTally,
      description: '`returned-disputed-capture` entries (positive).',
      resolve: ({ data, currency }) => inCurrency(currency)(data.disputesReturned),
    }),
    net: t.field({
      type: Money,
      description: 'Retained plus returned: what disputes took in the end.',
      resolve: ({ data, currency }) => new MoneyShape(addExact(data.disputesRetained.amount, data.disputesReturned.amount), currency),
    }),
  }),
});

export const MovementTotals = builder.objectRef<InCurrency<MovementTotalsData>>('MovementTotals').implement({
  description:
    'Money movements summed exactly, by what an accountant books apart. `byType` has every entry type of both accounts; ' +
    'the named fields pick the usual ones out of it, and `other` holds the rest.',
  fields: (t) => {
    const tally = (name: 'captures' | 'refunds' | 'payouts', description: string) =>
      t.field({ type: MovementTally, description, resolve: ({ data, currency }) => inCurrency(currency)(data[name]) });
    return {
      captures: tally('captures', '`capture` entries on the funds account: money from customers.'),
      refunds: tally('refunds', '`refund` entries on the funds account (negative).'),
      fees: t.field({ type: FeeTotals, description: 'Fees charged and settled.', resolve: (totals) => totals }),
      disputes: t.field({ type: DisputeTotals, description: 'Disputed captures.', resolve: (totals) => totals }),
      payouts: tally('payouts', '`payout-scheduled` entries (negative: the balance leaves for the bank).'),
      other: t.field({
        type: [MovementTypeTally],
        description:
          'Every other entry type, by account and type: payouts that came back (`payout-aborted`), corrections, top-ups, ' +
          'credit notes, service fees, and types this gateway does not know yet (book those by their sign).',
        resolve: ({ data, currency }) => data.other.map(inCurrency(currency)),
      }),
      byType: t.field({
        type: [MovementTypeTally],
        description: 'Every entry type of both accounts, by account and type, including the ones named above.',
        resolve: ({ data, currency }) => data.byType.map(inCurrency(currency)),
      }),
    };
  },
});

export const AccountBalances = builder.objectRef<InCurrency<AccountBalancesData>>('AccountBalances').implement({
  description: "One ledger account's balance over some dates.",
  fields: (t) => ({
    opening: t.field({
      type: Money,
      nullable: true,
      description:
        'The balance when the first date opened. Null when neither the dates nor the 31 dates before them have any entry.',
      resolve: ({ data, currency }) => money(data.opening, currency),
    }),
    closing: t.field({
      type: Money,
      nullable: true,
      description: 'The balance after the last entry of the dates (so far, while a date is open).',
      resolve: ({ data, currency }) => money(data.closing, currency),
    }),
    change: t.field({
      type: Money,
      nullable: true,
      description: 'Closing minus opening: the sum of every entry of the dates on this account.',
      resolve: ({ data, currency }) =>
        data.opening === null || data.closing === null ? null : money(addExact(data.closing, -data.opening), currency),
    }),
    entryCount: t.int({ description: 'How many entries the dates have on this account.', resolve: ({ data }) => data.entryCount }),
  }),
});

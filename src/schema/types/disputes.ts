import { disputeDecisionDays, disputeOf, isRetention, type Dispute as DisputeData, type DisputeOutcome as DisputeOutcomeValue } from '../../bookkeeping/disputes.ts';
import { MoneyMovementShape } from '../joins/shapes.ts';
import type { ReportEntry } from '../../sources/report/models.ts';
import { maxRangeDays } from '../../bookkeeping/ranges.ts';
import { costOf, joinDates, rangeDays } from '../cost.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { accountHistory } from '../joins/history.ts';
import { findSale } from '../joins/sales-side.ts';
import { checkedRange, ledgerReader, rangeArgs } from '../ledger-reads.ts';
import { Ledger } from './ledger.ts';
import { MoneyMovement } from './money-movement.ts';
import { Money, MoneyShape } from './money.ts';
import { Order } from './order.ts';
import { Sale } from './sale.ts';

/**
 * A ledger's disputes: the retentions booked on a range of dates, each followed through its
 * capture's later funds entries (the feed mirror at any distance, else a window of dates after
 * it, read through the request's `day` loader, so every dispute of the range shares its dates).
 */

interface DisputeShape {
  ledgerId: string;
  /** The retention that opened it. */
  opening: ReportEntry;
  data: DisputeData;
}

/** For the estimate only: how many disputes a date may open (the read budget stops what it does not foresee). */
const disputesPerDate = 5;
const searchDays = disputeDecisionDays + 1;

export const DisputeOutcome = builder.enumType('DisputeOutcome', {
  description: 'How a dispute ended, read from the funds entries of the disputed capture (upstream has no dispute status).',
  values: {
    OPEN: { description: `Not all of the retained money came back, and fewer than ${disputeDecisionDays} dates have passed (and been read) since the last retention.` },
    WON: { description: 'Every retained øre came back: the returns (`returned-disputed-capture`) add up to the retentions.' },
    LOST: {
      description:
        `Some retained money has not come back within ${disputeDecisionDays} dates after the last retention. Upstream books no ` +
        'entry for a lost dispute: this is the absence of a return, as far as `checkedThrough`.',
    },
  } as const satisfies Record<DisputeOutcomeValue, { description: string }>,
});

const movementOf = (dispute: DisputeShape, entry: ReportEntry) => new MoneyMovementShape(dispute.ledgerId, 'funds', entry);

export const Dispute = builder.objectRef<DisputeShape>('Dispute').implement({
  description:
    "A capture disputed by the payer's issuer: the money retained from the funds account, and what came back. One per " +
    'disputed capture (retentions and returns can repeat; they add up here).',
  fields: (t) => ({
    pspReference: t.string({ description: 'The disputed capture (its retentions and returns carry the same pspReference).', resolve: ({ data }) => data.pspReference }),
    reference: t.string({ nullable: true, description: 'The order of the disputed capture.', resolve: ({ data }) => data.reference }),
    retained: t.field({ type: Money, description: 'What was retained (positive): the sum of its `retained-disputed-capture` entries.', resolve: ({ data }) => new MoneyShape(data.retained, data.currency) }),
    returned: t.field({ type: Money, description: 'What came back (positive): the sum of its `returned-disputed-capture` entries, as far as `checkedThrough`.', resolve: ({ data }) => new MoneyShape(data.returned, data.currency) }),
    retainedOn: t.field({ type: 'Date', description: 'The ledger date of the first retention: when the dispute opened.', resolve: ({ data }) => data.retainedOn }),
    returnedOn: t.field({ type: 'Date', nullable: true, description: 'The ledger date of the last return; null while nothing came back.', resolve: ({ data }) => data.returnedOn }),
    outcome: t.field({ type: DisputeOutcome, description: 'Open, won or lost; see `DisputeOutcome` for how each is decided.', resolve: ({ data }) => data.outcome }),
    checkedThrough: t.field({
      type: 'Date',
      nullable: true,
      description: `How far its returns were looked for: every date through this one (at most ${searchDays} dates from the retention without the feed mirror).`,
      resolve: ({ data }) => data.checkedThrough,
    }),
    movements: t.field({ type: [MoneyMovement], description: 'Its retentions and returns, in ledger order.', resolve: (dispute) => dispute.data.entries.map((entry) => movementOf(dispute, entry)) }),
    sale: t.field({
      extensions: costOf((c) => c.readsPerItem(1)),
      type: Sale,
      nullable: true,
      description: 'The sale of the disputed capture (one lookup by pspReference, answered by the feed mirror where it has it); null for payments without a Sales entry.',
      resolve: (dispute, _args, context) => findSale(context, movementOf(dispute, dispute.opening)),
    }),
    order: t.field({
      type: Order,
      nullable: true,
      description: 'The order of the disputed capture, by its reference.',
      resolve: ({ ledgerId, data }) => (data.reference ? { ledgerId, reference: data.reference } : null),
    }),
  }),
});

/** The dispute opened by `retention`, its returns looked for after it. */
async function followed(context: Context, ledgerId: string, retention: ReportEntry): Promise<DisputeShape> {
  const pspReference = retention.pspReference ?? '';
  const subject = { ledgerId, from: retention.ledgerDate, to: retention.ledgerDate, key: { pspReference } };
  // The search is remembered per owner: a fresh one per request, never the (shared, cached) entry itself.
  const search = await accountHistory(context, { retention }, subject, 'funds', { kind: 'history', days: searchDays });
  const later = search.movements.map((movement) => movement.entry);
  return { ledgerId, opening: retention, data: disputeOf(retention, later, search.plan.checkedThrough) };
}

builder.objectFields(Ledger, (t) => ({
  disputes: t.field({
    extensions: costOf((c) => {
      c.reads(rangeDays(c.args) + searchDays);
      c.lists(rangeDays(c.args) * disputesPerDate);
      c.joinsOn(joinDates);
    }),
    type: [Dispute],
    nullable: true,
    description:
      `The disputes opened on the ledger dates from \`from\` to \`to\` (at most ${maxRangeDays} dates): each capture whose first ` +
      '`retained-disputed-capture` of the range is booked there, oldest first, with its returns looked for on the ' +
      `${searchDays} dates from it (at any distance where the feed mirror covers the ledger). Cost: the funds dates of the ` +
      'range and of that window, shared by every dispute.',
    args: { from: t.arg(rangeArgs.from), to: t.arg(rangeArgs.to) },
    resolve: async (ledger, args, context) => {
      const reader = ledgerReader(context, ledger.ledgerId);
      const days = await Promise.all(checkedRange(context, ledger, args.from, args.to).map((date) => reader.funds(date)));
      const opened = new Map<string, ReportEntry>();
      for (const entry of days.flatMap((day) => day.entries)) {
        if (isRetention(entry) && entry.pspReference && !opened.has(entry.pspReference)) opened.set(entry.pspReference, entry);
      }
      return Promise.all([...opened.values()].map((retention) => followed(context, ledger.ledgerId, retention)));
    },
  }),
}));

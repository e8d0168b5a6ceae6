import { payoutsOn } from '../../bookkeeping/payouts.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { costOf } from '../cost.ts';
import { ledgerReader } from '../ledger-reads.ts';
import type { LiveEventKind } from '../../live/events.ts';
import { maxLedgersPerSubscription, maxReplayDays, subscribeLive, type LiveEventShape } from '../live-events.ts';
import { Ledger, ledgerById } from './ledger.ts';
import { money, Money } from './money.ts';
import { Payout, PayoutShape } from './payout.ts';

builder.subscriptionType({
  description:
    'Live updates over Server-Sent Events (`Accept: text/event-stream`), fed by the feed mirror. Each event carries a ' +
    '`cursor`: keep the last one, and after a reconnect subscribe again with it as `since` to be told what was missed ' +
    `(up to ${maxReplayDays} days back) before the live events continue.`,
});

const LiveUpdate = builder.interfaceRef<LiveEventShape>('LiveUpdate').implement({
  description: 'What every live event says: the ledger and date it is about, and where to resume after it.',
  resolveType: (event) => (event.kind === 'date-closed' ? 'LedgerDateClosed' : 'PayoutScheduled'),
  fields: (t) => ({
    ledgerId: t.exposeString('ledgerId', { description: 'The ledger the event is about.' }),
    date: t.field({ type: 'Date', description: 'The ledger date the event is about.', resolve: (event) => event.date }),
    cursor: t.exposeString('cursor', {
      description: 'Pass as `since` when subscribing again to continue right after this event, in every ledger of the subscription.',
    }),
  }),
});

const LedgerDateClosed = builder.objectRef<LiveEventShape>('LedgerDateClosed').implement({
  description: 'A ledger date closed (`date`): upstream will book nothing more on it, and its figures are final.',
  interfaces: [LiveUpdate],
  fields: (t) => ({
    ledger: t.field({ type: Ledger, nullable: true, description: 'The ledger.', resolve: (event, _args, context) => ledgerById(event.ledgerId, context) }),
    closingBalance: t.field({
      extensions: costOf((c) => c.reads(1)),
      type: Money,
      nullable: true,
      description: "The funds account's balance after the date's last entry: what the date closed with (zero, or the reserve, after a payout).",
      resolve: async (event, _args, context) => {
        const day = await ledgerReader(context, event.ledgerId).funds(event.date);
        const last = day.entries.at(-1);
        return last === undefined ? null : money(last.balanceAfter, last.currency);
      },
    }),
  }),
});

/** The payout an event names, read through the subscriber's own loaders and grant. */
async function payoutOf(event: LiveEventShape, context: Context): Promise<PayoutShape | null> {
  const reader = ledgerReader(context, event.ledgerId);
  const payout = payoutsOn(event.ledgerId, await reader.funds(event.date)).at(-1);
  return payout === undefined ? null : new PayoutShape(payout, reader);
}

const PayoutScheduled = builder.objectRef<LiveEventShape>('PayoutScheduled').implement({
  description: 'A payout was scheduled on `date` (the last date it covers): the date has its `payout-scheduled` entry.',
  interfaces: [LiveUpdate],
  fields: (t) => ({
    payout: t.field({
      extensions: costOf((c) => c.reads(1)),
      type: Payout,
      nullable: true,
      description: 'The payout, as `Ledger.payouts` answers it.',
      resolve: (event, _args, context) => payoutOf(event, context),
    }),
  }),
});

type SubscriptionFieldBuilder = Parameters<Parameters<typeof builder.subscriptionFields>[0]>[0];

const liveArgs = (t: SubscriptionFieldBuilder) => ({
  ledgerIds: t.arg.stringList({
    required: true,
    description: `The upstream ledger ids to hear of (1 to ${maxLedgersPerSubscription}). Each must be visible to you, or nothing is heard.`,
  }),
  since: t.arg.string({
    required: false,
    description: `The \`cursor\` of the last event received: what happened after it is told first (up to ${maxReplayDays} days back).`,
  }),
});

/** Per ledger named: the dates read again for `since`, then each event's own read. */
const liveCost = costOf((c) => {
  const ledgers = Array.isArray(c.args.ledgerIds) ? c.args.ledgerIds.length : maxLedgersPerSubscription;
  c.reads(ledgers * (c.args.since == null ? 0 : maxReplayDays));
  c.multiplies(ledgers);
});

/** A subscription to one kind of live event: its arguments, cost, checks and stream are the same for every kind. */
function liveField(t: SubscriptionFieldBuilder, kind: LiveEventKind, type: typeof LedgerDateClosed, description: string) {
  return t.field({
    extensions: liveCost,
    type,
    description,
    args: liveArgs(t),
    subscribe: (_root, args, context) => subscribeLive(kind, args, context),
    resolve: (event) => event,
  });
}

builder.subscriptionFields((t) => ({
  ledgerDateClosed: liveField(t, 'date-closed', LedgerDateClosed, 'Told each time one of these ledgers closes a ledger date, in date order per ledger.'),
  payoutScheduled: liveField(t, 'payout-scheduled', PayoutScheduled, 'Told each time one of these ledgers schedules a payout.'),
}));

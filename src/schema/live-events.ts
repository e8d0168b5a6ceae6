import { GraphQLError } from 'graphql';
import { Repeater } from 'graphql-yoga';
import { payoutsOn } from '../bookkeeping/payouts.ts';
import type { LedgerReader } from '../bookkeeping/reader.ts';
import { addDays, datesFrom } from '../kernel/calendar.ts';
import { newestLedgerDate } from '../kernel/booking-window.ts';
import type { LiveAccess } from '../live/access.ts';
import { decodeCursor, encodeCursor, type LiveCursor } from '../live/cursor.ts';
import type { LiveEvent, LiveEventKind } from '../live/events.ts';
import type { Ledger } from '../sources/report/models.ts';
import type { Context } from './context.ts';
import { badInput } from './input-errors.ts';
import { checkedId, idForms } from './inputs.ts';
import { ledgerReader } from './ledger-reads.ts';
import { NotFoundError } from './types/errors.ts';
import { visibleLedger } from './types/ledger.ts';

/**
 * One subscription's stream of live events: the ledgers it names, each checked against the
 * caller's grant before anything is heard; what was missed since its `since` cursor, read again
 * from the ledger's dates; then the events as the sync publishes them, each told once, in date
 * order per ledger.
 */

/** How far back `since` replays: a portal away longer reads the gap with `Ledger.payouts` or `day`. */
export const maxReplayDays = 14;
export const maxLedgersPerSubscription = 10;

export interface LiveEventShape extends LiveEvent {
  /** Where the subscriber is after this event: pass as `since` to resume after it. */
  cursor: string;
}

export interface LiveArgs {
  ledgerIds: readonly string[];
  since?: string | null | undefined;
}

function liveOf(context: Context): LiveAccess {
  if (context.live === undefined) throw new GraphQLError('Live updates are not served by this gateway.', { extensions: { code: 'LIVE_UNAVAILABLE' } });
  return context.live;
}

function checkedLedgerIds(ids: readonly string[]): string[] {
  const unique = [...new Set(ids.map((id) => checkedId('ledgerIds', id, idForms.ledgerId)))];
  if (unique.length === 0 || unique.length > maxLedgersPerSubscription) {
    throw badInput('ledgerIds', `must name 1 to ${maxLedgersPerSubscription} ledgers; got ${unique.length}`);
  }
  return unique;
}

function checkedSince(text: string | null | undefined, ledgerIds: readonly string[]): LiveCursor {
  if (text == null) return new Map();
  const cursor = decodeCursor(text);
  if (cursor === null) throw badInput('since', 'must be the `cursor` of an event of this subscription');
  return new Map([...cursor].filter(([ledgerId]) => ledgerIds.includes(ledgerId)));
}

/** Whether a date read again is an event of this kind: closed with entries, or with a payout. */
function isEventOn(kind: LiveEventKind, ledgerId: string, day: Awaited<ReturnType<LedgerReader['funds']>>): boolean {
  return kind === 'date-closed' ? day.isClosed && day.entries.length > 0 : payoutsOn(ledgerId, day).length > 0;
}

/** Dates read again at a time while looking for the first open one. */
const replayChunkDays = 4;

/**
 * The events of one ledger after `after`, read from its dates: forward to the first date that
 * is still open, at most `maxReplayDays` of the most recent. Upstream's own answer says where
 * the open dates start, not this process's idea of upstream's clock.
 */
async function missedEvents(kind: LiveEventKind, ledger: Ledger, after: string, context: Context): Promise<LiveEvent[]> {
  const oldest = addDays(newestLedgerDate(ledger.currency, context.upstreamNow()), 1 - maxReplayDays);
  const first = addDays(after, 1) > oldest ? addDays(after, 1) : oldest;
  const last = addDays(first, maxReplayDays - 1);
  const reader = ledgerReader(context, ledger.ledgerId);
  const events: LiveEvent[] = [];
  for (let from = first; from <= last; from = addDays(from, replayChunkDays)) {
    const to = addDays(from, replayChunkDays - 1) < last ? addDays(from, replayChunkDays - 1) : last;
    const days = await Promise.all(datesFrom(from, to).map((date) => reader.funds(date)));
    for (const day of days) {
      // A payout is told when its entry is there, closed date or not; a date only once closed.
      if (isEventOn(kind, ledger.ledgerId, day)) events.push({ kind, ledgerId: ledger.ledgerId, date: day.date });
      if (!day.isClosed) return events;
    }
  }
  return events;
}

/**
 * Each event is read like a request of its own: fresh loaders and read budget under the same
 * caller, so a subscription open for weeks neither holds every date it told of nor runs out of
 * budget. An event still executing when the next is pushed may finish on the next one's
 * loaders: the same caller and grant, so nothing crosses.
 */
function renew(context: Context, live: LiveAccess): void {
  const fresh = live.freshContext();
  context.report = fresh.report;
  context.sales = fresh.sales;
  context.reads = fresh.reads;
}

/** A subscription has no result union to answer `NotFoundError` as data: it is refused with its code. */
function asSubscriptionError(error: unknown): never {
  if (error instanceof NotFoundError) throw new GraphQLError(error.message, { extensions: { code: 'NOT_FOUND', resource: error.resource } });
  throw error;
}

export async function subscribeLive(kind: LiveEventKind, args: LiveArgs, context: Context): Promise<AsyncIterable<LiveEventShape>> {
  const live = liveOf(context);
  const ledgerIds = checkedLedgerIds(args.ledgerIds);
  const since = checkedSince(args.since, ledgerIds);
  // The grant first: a ledger outside it answers as one that does not exist, and nothing is heard of it.
  const ledgers = await Promise.all(ledgerIds.map((ledgerId) => visibleLedger(ledgerId, context).catch(asSubscriptionError)));
  const release = live.hub.counts.take(live.tenant);
  if (release === null) {
    throw new GraphQLError(`Too many open subscriptions: at most ${live.hub.counts.maxPerTenant} per tenant on one gateway. Close one first.`, {
      extensions: { code: 'SUBSCRIPTION_LIMIT' },
    });
  }
  // Heard from now on, so nothing published while the missed events are read is lost.
  const heard = live.hub.subscribe(live.fingerprint, ledgerIds);
  return new Repeater<LiveEventShape>(async (push, stop) => {
    void stop.then(() => heard.return?.());
    const told: LiveCursor = new Map(since);
    const tell = async (event: LiveEvent) => {
      const last = told.get(event.ledgerId);
      if (event.kind !== kind || (last !== undefined && event.date <= last)) return;
      told.set(event.ledgerId, event.date);
      renew(context, live);
      await push({ ...event, cursor: encodeCursor(told) });
    };
    try {
      for (const ledger of ledgers) {
        const after = since.get(ledger.ledgerId);
        if (after !== undefined) for (const event of await missedEvents(kind, ledger, after, context)) await tell(event);
      }
      for await (const event of heard) await tell(event);
      stop();
    } catch (error: unknown) {
      stop(error);
    } finally {
      release();
    }
  });
}

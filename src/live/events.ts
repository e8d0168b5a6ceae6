import { z } from 'zod';
import { movementKindOf } from '../kernel/movement-kinds.ts';
import { keyPrefix, type CredentialFingerprint } from '../sources/cache/keys.ts';
import type { FeedState, Step } from '../sync/state.ts';

/**
 * What portals are told live, derived from the funds feed as the mirror stores it. An event
 * names a ledger and a date and nothing else: the figures (closing balance, the payout) are read
 * by each subscriber through its own request's loaders and grant, so no ledger data travels over
 * Redis pub/sub, and a subscriber reads only what its tenant may read anyway.
 */

export const liveEventModel = z.object({
  kind: z.enum(['date-closed', 'payout-scheduled']),
  ledgerId: z.string().min(1),
  date: z.iso.date(),
});
export type LiveEvent = z.infer<typeof liveEventModel>;
export type LiveEventKind = LiveEvent['kind'];

/**
 * The pub/sub channel of one ledger's events, under the fingerprint of the accounting keys that
 * mirror it (like every key of the mirror): a subscriber listens to the channels of the ledgers
 * it named and was allowed, so another ledger's events never reach its process for it.
 */
export function liveChannel(fp: CredentialFingerprint, ledgerId: string): string {
  return `${keyPrefix}${fp}:live:${encodeURIComponent(ledgerId)}`;
}

const entryTypeModel = z.object({ entryType: z.string() });

function isPayoutJson(json: string): boolean {
  const parsed = entryTypeModel.safeParse(JSON.parse(json));
  return parsed.success && movementKindOf(parsed.data.entryType) === 'PAYOUT_SCHEDULED';
}

/**
 * The events one stored page of a ledger's funds feed brings, in order. A date is closed, and
 * told once, at the first of:
 * - its `payout-scheduled` entry, which upstream writes as the last entry of a date that pays
 *   out (the payout is told at the same moment);
 * - an entry of a later date: the feed runs in ledger-date order (sync/state.ts), so nothing
 *   more comes for it. `previousEndedWithPayout` says whether the page's first date was already
 *   told by the payout that ended the previous page.
 */
export function eventsOfStep(ledgerId: string, before: FeedState, step: Step, previousEndedWithPayout: boolean): LiveEvent[] {
  const newest = step.state.lastDate;
  if (newest === null) return [];
  const events: LiveEvent[] = [];
  const told = new Set<string>();
  const close = (date: string) => {
    if (told.has(date)) return;
    told.add(date);
    events.push({ kind: 'date-closed', ledgerId, date });
  };
  if (before.lastDate !== null && before.lastDate < newest && !previousEndedWithPayout) close(before.lastDate);
  let previous: string | null = null;
  for (const entry of step.entries) {
    const date = entry.ledgerDate;
    if (date === null) continue;
    if (previous !== null && previous < date) close(previous);
    previous = date;
    if (isPayoutJson(entry.json)) {
      events.push({ kind: 'payout-scheduled', ledgerId, date });
      close(date);
    }
  }
  return events;
}

/** Whether the stored entries of a date end with its payout (so the date was told closed then). */
export function endsWithPayout(entries: readonly string[]): boolean {
  const last = entries.at(-1);
  return last !== undefined && isPayoutJson(last);
}

/** Whether the page moves the feed past the date it stood on, with no entry of that date in it. */
export function leavesDateBehind(before: FeedState, step: Step): before is FeedState & { lastDate: string } {
  const leftDate = before.lastDate;
  return leftDate !== null && step.state.lastDate !== null && leftDate < step.state.lastDate && !step.entries.some((entry) => entry.ledgerDate === leftDate);
}

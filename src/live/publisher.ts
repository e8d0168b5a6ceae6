import type { Logger } from '../logger.ts';
import type { CredentialFingerprint } from '../sources/cache/keys.ts';
import type { Feed } from '../sync/keys.ts';
import type { FeedState, Step } from '../sync/state.ts';
import type { MirrorStore } from '../sync/store.ts';
import { endsWithPayout, eventsOfStep, leavesDateBehind } from './events.ts';
import type { LiveHub } from './hub.ts';

/**
 * The sync's hook that publishes live events, in whichever process stores the page: the
 * `npm run sync` process or a gateway's in-process sync. The mirror's compare-and-set lets
 * exactly one process store each page, so each event is published once, by the first process
 * to see the change, with no coordination of its own.
 *
 * Events are published in the order their pages were stored (one queue per process): a
 * subscriber takes a ledger's dates in order and would drop an earlier date that came late.
 */
export function livePublisher(hub: LiveHub, store: MirrorStore, fp: CredentialFingerprint, logger: Logger) {
  let queue = Promise.resolve();
  const publish = async (ledgerId: string, before: FeedState, step: Step) => {
    // Only when the page leaves a date behind without touching it: was that date told by its payout already?
    const told = leavesDateBehind(before, step) && endsWithPayout(await store.dateEntries(fp, ledgerId, 'funds', before.lastDate));
    for (const event of eventsOfStep(ledgerId, before, step, told)) hub.publish(fp, event);
  };
  return (ledgerId: string, feed: Feed, before: FeedState, step: Step): void => {
    if (feed !== 'funds') return;
    queue = queue
      .then(() => publish(ledgerId, before, step))
      // The page is stored: a subscriber that misses this catches up through its cursor.
      .catch((error: unknown) => logger.warn('live updates: events of a stored page not published', { ledgerId, error }));
  };
}

import { z } from 'zod';
import type { FeedKeys } from './keys.ts';
import { withRetries, type RetryPolicy } from './retry.ts';
import type { FeedSource } from './sources.ts';
import { advance, encodeState, FeedPagingError, type FeedPage, type FeedState, type Step } from './state.ts';
import type { MirrorStore, StoredState } from './store.ts';

/**
 * Follows one feed from its stored cursor to its end. Each page is stored together with the
 * cursor after it, in one atomic step that only succeeds while the stored state is still the one
 * the page was read from: a process killed at any moment leaves either the page and its cursor
 * or neither, and the next run continues exactly there.
 *
 * That compare-and-set is also all the coordination between sync processes: no lock to outlive
 * a killed holder. Two processes on one feed read the same next page; the first to store it goes
 * on, the other finds the state moved and leaves the feed (`busy`), having spent one page read.
 */

export interface FollowOptions {
  store: MirrorStore;
  keys: FeedKeys;
  source: FeedSource;
  clock: () => number;
  /** A feed that said tryLater is not asked again sooner than this, by any process. */
  minPollIntervalMs: number;
  retry: RetryPolicy;
  signal?: AbortSignal;
  /** Told when the feed's mirror was in an older layout and is mirrored again from its start. */
  onOutdated?: () => void;
  /** Told of each page stored: its entries and its last entry's time. */
  onPage?: (entries: number, lastTime: string | null) => void;
  /** Told of each step stored by this process, with the state it moved from (live updates). */
  onStored?: (before: FeedState, step: Step) => void;
}

export type FollowOutcome =
  /** Read to its end. */
  | 'caught-up'
  /** At its end recently: left alone until the poll interval has passed. */
  | 'waiting'
  /** Another process stored the next page first and follows the feed now. */
  | 'busy'
  | 'stopped';

export interface FollowResult {
  outcome: FollowOutcome;
  pages: number;
  entries: number;
}

export async function followFeed(options: FollowOptions): Promise<FollowResult> {
  const { store, keys, source, clock, signal } = options;
  let stored = await withRetries(() => store.readState(keys), options.retry, signal, isRedisTrouble);
  if (stored.outdated === true) {
    await withRetries(() => store.forgetFeed(keys), options.retry, signal, isRedisTrouble);
    options.onOutdated?.();
    stored = { raw: '', state: stored.state };
  }
  const { state } = stored;
  if (state.atEnd && state.endReachedAt !== null && clock() - state.endReachedAt < options.minPollIntervalMs) {
    return { outcome: 'waiting', pages: 0, entries: 0 };
  }
  const read = (cursor: string | null) => withRetries(() => source.read(cursor), options.retry, signal);
  const result: FollowResult = { outcome: 'caught-up', pages: 0, entries: 0 };
  let next: Promise<FeedPage> | null = read(stored.state.cursor);
  try {
    while (next !== null) {
      const page: FeedPage = await next;
      next = null;
      const step = advance(stored.state, page, clock());
      if (!step.state.atEnd && step.state.cursor === stored.state.cursor) {
        throw new FeedPagingError('upstream feed neither moved its cursor nor said it was at its end');
      }
      // The next page is read while this one is stored; it is used only once this one is.
      if (!step.state.atEnd && !signal?.aborted) next = read(step.state.cursor);
      const saved = await storeStep(options, stored, step);
      if (saved === null) return { ...result, outcome: 'busy' };
      options.onStored?.(stored.state, step);
      stored = saved;
      result.pages += 1;
      result.entries += step.entries.length;
      options.onPage?.(step.entries.length, page.lastTime ?? null);
      if (step.state.atEnd) return result;
      if (signal?.aborted) return { ...result, outcome: 'stopped' };
    }
    return { ...result, outcome: 'stopped' };
  } finally {
    // A page read ahead and not stored is dropped; its failure, if any, is no one's concern.
    next?.catch(() => {});
  }
}

/**
 * Stores a step, retrying through Redis trouble. A retry after a lost reply finds the state
 * already moved to this very step, which counts as stored; moved anywhere else means another
 * process took the feed over, and this one stops (`null`).
 */
async function storeStep(options: FollowOptions, stored: StoredState, step: Step): Promise<StoredState | null> {
  const { store, keys } = options;
  const saved = await withRetries(() => store.storePage(keys, stored.raw, step), options.retry, options.signal, isRedisTrouble);
  if (saved !== null) return saved;
  const now = await withRetries(() => store.readState(keys), options.retry, options.signal, isRedisTrouble);
  return now.raw === encodeState(step.state) ? now : null;
}

/** Redis errors pass (a restart, a failover); a state that does not parse does not. */
function isRedisTrouble(error: unknown): boolean {
  return error instanceof Error && !(error instanceof z.ZodError) && !(error instanceof SyntaxError);
}

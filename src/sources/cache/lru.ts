import { LRUCache } from 'lru-cache';

export interface LruOptions<V> {
  /** What the entries may weigh together; the least recently used go first past it. */
  maxWeight: number;
  weigh: (value: V, key: string) => number;
  /** At most this many entries, whatever they weigh. */
  maxEntries?: number;
  /** Milliseconds; a test's fake clock, `performance.now` otherwise. */
  clock?: () => number;
}

/**
 * The one bounded in-memory cache of the gateway (the memory backend and the local layer of
 * decoded values), on lru-cache. An entry heavier than the whole budget is not kept and pushes
 * nothing out; entries may carry a TTL of their own, checked to the millisecond.
 */
export function lru<V extends {}>(options: LruOptions<V>): LRUCache<string, V> {
  return new LRUCache<string, V>({
    maxSize: options.maxWeight,
    sizeCalculation: (value, key) => Math.max(1, options.weigh(value, key)),
    ...(options.maxEntries === undefined ? {} : { max: options.maxEntries }),
    // Expiry is checked on every read against the clock, never against a time cached by lru-cache.
    ttlResolution: 0,
    ...(options.clock === undefined ? {} : { perf: { now: options.clock } }),
  });
}

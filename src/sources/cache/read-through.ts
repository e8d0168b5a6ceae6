import type { z } from 'zod';
import type { Logger } from '../../logger.ts';
import type { Cache } from './cache.ts';

/** How a value travels through the cache. `decode` throws on anything it does not accept. */
export interface Codec<T> {
  encode(value: T): string;
  decode(raw: string): T;
}

export interface ReadThroughOptions<T> extends Codec<T> {
  logger?: Logger;
  /** Told whether the cache held the value (only the read that starts a flight looks). */
  onLookup?: (hit: boolean) => void;
}

/** Seconds, `null` for good, or chosen per value (an open upstream date lives shorter). */
export type TtlPolicy<T> = number | null | ((value: T) => number | null);

/** JSON through a zod model, so a corrupt or outdated entry fails to decode instead of leaking. */
export function jsonCodec<T>(model: z.ZodType<T>): Codec<T> {
  return { encode: (value) => JSON.stringify(value), decode: (raw) => model.parse(JSON.parse(raw)) };
}

/**
 * Loads in flight, per cache and key. Concurrent misses for one key share one load, so a cold or
 * dead cache does not turn a burst of requests into a burst of upstream calls. A WeakMap keeps
 * two caches (two tenants, two tests) from ever sharing a flight.
 */
const flightsByCache = new WeakMap<Cache, Map<string, Promise<unknown>>>();

/**
 * The cached value for `key`, or the result of `load()` stored under it. Backend failures and
 * entries that do not decode are misses; a failed load is passed to every waiter and not stored.
 */
export function readThrough<T>(
  cache: Cache,
  key: string,
  ttl: TtlPolicy<T>,
  load: () => Promise<T>,
  options: ReadThroughOptions<T>,
): Promise<T> {
  let flights = flightsByCache.get(cache);
  if (flights === undefined) {
    flights = new Map();
    flightsByCache.set(cache, flights);
  }
  const running = flights.get(key);
  // Every flight under a key was started by this function with that key's codec and loader,
  // so it resolves to the same T.
  if (running !== undefined) return running as Promise<T>;

  const flightMap = flights;
  const flight: Promise<T> = lookUpOrLoad(cache, key, ttl, load, options, () => {
    if (flightMap.get(key) === flight) flightMap.delete(key);
  });
  flights.set(key, flight);
  return flight;
}

async function lookUpOrLoad<T>(
  cache: Cache,
  key: string,
  ttl: TtlPolicy<T>,
  load: () => Promise<T>,
  options: ReadThroughOptions<T>,
  land: () => void,
): Promise<T> {
  try {
    const hit = await readCached(cache, key, options);
    options.onLookup?.(hit !== null);
    if (hit !== null) {
      land();
      return hit.value;
    }
    const value = await load();
    // Callers get the value now; the flight stays open until the write is done, so a caller
    // arriving in between shares this value instead of finding neither flight nor entry.
    void store(cache, key, value, ttl, options).finally(land);
    return value;
  } catch (error: unknown) {
    land();
    throw error;
  }
}

async function readCached<T>(cache: Cache, key: string, options: ReadThroughOptions<T>): Promise<{ value: T } | null> {
  let raw: string | null;
  try {
    raw = await cache.get(key);
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    return { value: options.decode(raw) };
  } catch (error: unknown) {
    options.logger?.warn('cache entry did not decode; loading it again', { key, error });
    return null;
  }
}

async function store<T>(cache: Cache, key: string, value: T, ttl: TtlPolicy<T>, options: ReadThroughOptions<T>): Promise<void> {
  try {
    const ttlSeconds = typeof ttl === 'function' ? ttl(value) : ttl;
    await cache.set(key, options.encode(value), ttlSeconds);
  } catch (error: unknown) {
    options.logger?.warn('cache write failed', { key, error });
  }
}

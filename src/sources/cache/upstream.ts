import type { LRUCache } from 'lru-cache';
import type { Logger } from '../../logger.ts';
import type { CacheLookup, CacheObserver } from '../observer.ts';
import type { Cache } from './cache.ts';
import type { CredentialFingerprint } from './keys.ts';
import { lru } from './lru.ts';
import { readThrough, type Codec } from './read-through.ts';

/**
 * What the upstream clients keep, and for how long. Closed Report dates and final Sales dates
 * never change and are kept for good; what can still change lives briefly.
 */
export interface CachePolicy {
  /** A Report date upstream still answers with `tryLater`, and a Sales date not known to be final. */
  openDateTtlSeconds: number;
  /** The list of granted ledgers: grants come and go, so it is read again now and then. */
  ledgersTtlSeconds: number;
  /** Entries (Report or Sales) this process keeps decoded in front of the shared cache; 0 for none. */
  localEntries: number;
}

export const defaultCachePolicy: CachePolicy = { openDateTtlSeconds: 30, ledgersTtlSeconds: 60, localEntries: 100_000 };

/** A cache as one upstream credential uses it: every key carries the credential's fingerprint. */
export interface UpstreamCache {
  cache: Cache;
  fingerprint: CredentialFingerprint;
  policy: CachePolicy;
  logger?: Logger;
  /** Told which layer answered each read (metrics, traces); nobody when left out. */
  observer?: CacheObserver | null;
}

/**
 * Decoded values kept in this process in front of the shared cache, least recently used out
 * first, weighed by how many entries they hold. A busy gateway would otherwise fetch and decode
 * the same closed date from Redis for every request, and a Redis reply stuck behind a busy event
 * loop would turn into a miss and an upstream call.
 */
export class LocalLayer<T extends {}> {
  readonly #held: LRUCache<string, T>;

  constructor(maxWeight: number, weigh: (value: T) => number, clock?: () => number) {
    this.#held = lru<T>({ maxWeight, weigh, ...(clock === undefined ? {} : { clock }) });
  }

  get(key: string): T | undefined {
    return this.#held.get(key);
  }

  /** Keeps `value` for `ttlMs` (`null`: until pushed out); a value heavier than the whole layer is not kept. */
  set(key: string, value: T, ttlMs: number | null): void {
    if (ttlMs === 0) this.#held.delete(key);
    else this.#held.set(key, value, ttlMs === null ? {} : { ttl: ttlMs });
  }
}

/** How long a value that can change may be served from the process before the shared cache is asked again. */
const localTtlMs = 2_000;

/**
 * `read()` (the shared cache, then upstream) behind the process's own layer: a value kept for
 * good in the shared cache (`ttlSeconds` null) stays until pushed out, any other for a couple of
 * seconds at most, and never longer than the shared cache keeps it.
 */
export async function throughLocal<T extends {}>(
  local: LocalLayer<T> | null,
  key: string,
  ttlSeconds: (value: T) => number | null,
  read: () => Promise<T>,
  lookedUp?: CacheLookup,
): Promise<T> {
  const held = local?.get(key);
  if (local !== null) lookedUp?.('local', held !== undefined);
  if (held !== undefined) return held;
  const value = await read();
  const shared = ttlSeconds(value);
  local?.set(key, value, shared === null ? null : Math.min(localTtlMs, Math.max(0, shared * 1000)));
  return value;
}

/**
 * The one cached read of decoded upstream values: this process's layer, then the shared cache
 * (single-flight, see `readThrough`), then upstream. Each client method that caches a value
 * kind holds one of these.
 */
export class DecodedCache<T extends {}> {
  readonly #local: LocalLayer<T> | null;

  constructor(
    private readonly cached: UpstreamCache,
    /** What is kept, for metrics and traces (`report date`). */
    private readonly kind: string,
    private readonly codec: Codec<T>,
    weigh: (value: T) => number,
  ) {
    this.#local = cached.policy.localEntries > 0 ? new LocalLayer(cached.policy.localEntries, weigh) : null;
  }

  /**
   * The value under `key`, kept as `ttlSeconds` says (`null`: for good). `settle` may replace
   * what the shared cache gave before this process holds it (a Sales date that became final).
   */
  read(key: string, ttlSeconds: (value: T) => number | null, load: () => Promise<T>, settle?: (shared: T) => Promise<T>): Promise<T> {
    const observer = this.cached.observer;
    if (observer == null) return this.#read(key, ttlSeconds, load, settle);
    return observer.read(this.kind, (lookedUp) => this.#read(key, ttlSeconds, load, settle, lookedUp));
  }

  #read(key: string, ttlSeconds: (value: T) => number | null, load: () => Promise<T>, settle?: (shared: T) => Promise<T>, lookedUp?: CacheLookup): Promise<T> {
    const { cache, logger } = this.cached;
    const options = { ...this.codec, ...(logger === undefined ? {} : { logger }), ...(lookedUp === undefined ? {} : { onLookup: (hit: boolean) => lookedUp('shared', hit) }) };
    return throughLocal(
      this.#local,
      key,
      ttlSeconds,
      async () => {
        const shared = await readThrough(cache, key, ttlSeconds, load, options);
        return settle === undefined ? shared : settle(shared);
      },
      lookedUp,
    );
  }

  /** What this process holds decoded, without asking the shared cache. */
  peek(key: string): T | undefined {
    return this.#local?.get(key);
  }

  /** Replaces the shared entry (this process's copy follows on its next read). */
  async write(key: string, value: T, ttlSeconds: number | null): Promise<void> {
    await this.cached.cache.set(key, this.codec.encode(value), ttlSeconds);
  }
}

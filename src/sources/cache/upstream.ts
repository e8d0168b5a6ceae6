import type { Logger } from '../../logger.ts';
import type { Cache } from './cache.ts';
import type { CredentialFingerprint } from './keys.ts';

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
}

interface Held<T> {
  value: T;
  weight: number;
  expiresAtMs: number | null;
}

/**
 * Decoded values kept in this process in front of the shared cache, least recently used out
 * first, weighed by how many entries they hold. A busy gateway would otherwise fetch and decode
 * the same closed date from Redis for every request, and a Redis reply stuck behind a busy event
 * loop would turn into a miss and an upstream call.
 */
export class LocalLayer<T> {
  readonly #held = new Map<string, Held<T>>();
  #weight = 0;

  constructor(
    private readonly maxWeight: number,
    private readonly weigh: (value: T) => number,
    private readonly clock: () => number = Date.now,
  ) {}

  get(key: string): T | undefined {
    const held = this.#held.get(key);
    if (held === undefined) return undefined;
    if (held.expiresAtMs !== null && held.expiresAtMs <= this.clock()) {
      this.#drop(key, held);
      return undefined;
    }
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.#held.delete(key);
    this.#held.set(key, held);
    return held.value;
  }

  /** Keeps `value` for `ttlMs` (`null`: until pushed out); a value heavier than the whole layer is not kept. */
  set(key: string, value: T, ttlMs: number | null): void {
    const previous = this.#held.get(key);
    if (previous !== undefined) this.#drop(key, previous);
    const weight = Math.max(1, this.weigh(value));
    if (weight > this.maxWeight || ttlMs === 0) return;
    this.#held.set(key, { value, weight, expiresAtMs: ttlMs === null ? null : this.clock() + ttlMs });
    this.#weight += weight;
    for (const [oldKey, old] of this.#held) {
      if (this.#weight <= this.maxWeight) break;
      this.#drop(oldKey, old);
    }
  }

  #drop(key: string, held: Held<T>): void {
    this.#held.delete(key);
    this.#weight -= held.weight;
  }
}

/** How long a value that can change may be served from the process before the shared cache is asked again. */
const localTtlMs = 2_000;

/**
 * `read()` (the shared cache, then upstream) behind the process's own layer: a value kept for
 * good in the shared cache (`ttlSeconds` null) stays until pushed out, any other for a couple of
 * seconds at most, and never longer than the shared cache keeps it.
 */
export async function throughLocal<T>(
  local: LocalLayer<T> | null,
  key: string,
  ttlSeconds: (value: T) => number | null,
  read: () => Promise<T>,
): Promise<T> {
  const held = local?.get(key);
  if (held !== undefined) return held;
  const value = await read();
  const shared = ttlSeconds(value);
  local?.set(key, value, shared === null ? null : Math.min(localTtlMs, Math.max(0, shared * 1000)));
  return value;
}

export function localLayer<T>(cached: UpstreamCache | null, weigh: (value: T) => number): LocalLayer<T> | null {
  if (cached === null || cached.policy.localEntries <= 0) return null;
  return new LocalLayer(cached.policy.localEntries, weigh);
}

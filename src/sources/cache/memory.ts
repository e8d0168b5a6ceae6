import type { LRUCache } from 'lru-cache';
import { ttlToMs, type Cache } from './cache.ts';
import { lru } from './lru.ts';

export interface MemoryCacheOptions {
  /** At most this many entries; the least recently used go first. */
  maxEntries?: number;
  /** At most about this many bytes of keys and values (2 bytes per UTF-16 code unit). */
  maxBytes?: number;
  clock?: () => number;
}

const defaults = { maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 };

const bytesOf = (key: string, value: string) => (key.length + value.length) * 2;

/** The cache of a process without Redis: bounded by entries and bytes, least recently used out first. */
export class MemoryCache implements Cache {
  readonly #entries: LRUCache<string, string>;

  constructor(options: MemoryCacheOptions = {}) {
    this.#entries = lru<string>({
      maxEntries: options.maxEntries ?? defaults.maxEntries,
      maxWeight: options.maxBytes ?? defaults.maxBytes,
      weigh: (value, key) => bytesOf(key, value),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
  }

  async get(key: string): Promise<string | null> {
    return this.#entries.get(key) ?? null;
  }

  async set(key: string, value: string, ttlSeconds: number | null): Promise<void> {
    const ttlMs = ttlToMs(ttlSeconds);
    if (ttlMs === 0) {
      this.#entries.delete(key);
      return;
    }
    this.#entries.set(key, value, ttlMs === null ? {} : { ttl: ttlMs });
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    if (this.#entries.has(key)) return false;
    await this.set(key, value, ttlSeconds);
    return this.#entries.has(key);
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    if (this.#entries.get(key) !== value) return false;
    return this.#entries.delete(key);
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  isHealthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }

  /** What the cache holds now, for metrics and tests (expired entries still count until read). */
  usage(): { entries: number; bytes: number } {
    this.#entries.purgeStale();
    return { entries: this.#entries.size, bytes: this.#entries.calculatedSize };
  }
}

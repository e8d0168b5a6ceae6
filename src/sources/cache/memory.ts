import { ttlToMs, type Cache } from './cache.ts';

export interface MemoryCacheOptions {
  /** At most this many entries; the least recently used go first. */
  maxEntries?: number;
  /** At most about this many bytes of keys and values (2 bytes per UTF-16 code unit). */
  maxBytes?: number;
  clock?: () => number;
}

interface Entry {
  value: string;
  expiresAtMs: number | null;
  bytes: number;
}

const defaults = { maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 };

/**
 * A bounded LRU cache in this process. A Map keeps insertion order, so re-inserting an entry on
 * every read makes the first key the least recently used one.
 */
export class MemoryCache implements Cache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #clock: () => number;
  #bytes = 0;

  constructor(options: MemoryCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? defaults.maxEntries;
    this.#maxBytes = options.maxBytes ?? defaults.maxBytes;
    this.#clock = options.clock ?? Date.now;
  }

  async get(key: string): Promise<string | null> {
    const entry = this.#live(key);
    if (entry === null) return null;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number | null): Promise<void> {
    this.#remove(key);
    const ttlMs = ttlToMs(ttlSeconds);
    if (ttlMs === 0) return;
    const bytes = (key.length + value.length) * 2;
    // A value bigger than the whole budget would only flush everything else and then go itself.
    if (bytes > this.#maxBytes) return;
    const expiresAtMs = ttlMs === null ? null : this.#clock() + ttlMs;
    this.#entries.set(key, { value, expiresAtMs, bytes });
    this.#bytes += bytes;
    this.#evictOverflow();
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    if (this.#live(key) !== null) return false;
    await this.set(key, value, ttlSeconds);
    return this.#entries.has(key);
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    if (this.#live(key)?.value !== value) return false;
    this.#remove(key);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.#remove(key);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  isHealthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.#entries.clear();
    this.#bytes = 0;
  }

  /** What the cache holds now, for metrics and tests. */
  usage(): { entries: number; bytes: number } {
    return { entries: this.#entries.size, bytes: this.#bytes };
  }

  #live(key: string): Entry | null {
    const entry = this.#entries.get(key);
    if (entry === undefined) return null;
    if (entry.expiresAtMs !== null && entry.expiresAtMs <= this.#clock()) {
      this.#remove(key);
      return null;
    }
    return entry;
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  #evictOverflow(): void {
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) return;
      this.#remove(key);
    }
  }
}

export function createMemoryCache(options?: MemoryCacheOptions): MemoryCache {
  return new MemoryCache(options);
}

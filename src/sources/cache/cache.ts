
/**
 * The one cache interface of the gateway. Two backends implement it: a bounded in-memory one
 * (the default) and Redis (`REDIS_URL`). Values are strings (JSON written by the caller); a
 * backend that is slow, dead or restarting answers as a miss and never throws into a query.
 *
 * TTLs are in seconds and may be fractional (a lock held for 1.5 s). A TTL of zero or less
 * means the value is already stale: it is not stored, and any older value under the key goes.
 */
export interface Cache {
  /** The stored value, or `null` on a miss (including any backend failure). */
  get(key: string): Promise<string | null>;
  /** Stores a value; `ttlSeconds: null` keeps it for good. Failures are swallowed and logged. */
  set(key: string, value: string, ttlSeconds: number | null): Promise<void>;
  /** Stores only when the key is absent (a lock or a first writer wins); `false` when it exists or the backend failed. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /**
   * Deletes the key only while it still holds `value`, in one step: a lock owner releases its
   * own lock and never one that expired and was taken by someone else in the meantime.
   */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Whether the backend answers right now (for `/ready`); never throws. */
  ping(): Promise<boolean>;
  /** The last known state without a round trip: `false` while the backend is failing. */
  isHealthy(): boolean;
  close(): Promise<void>;
}

/** Milliseconds until expiry for a TTL in seconds; `null` for good, `0` for already stale. */
export function ttlToMs(ttlSeconds: number | null): number | null {
  if (ttlSeconds === null || ttlSeconds === Number.POSITIVE_INFINITY) return null;
  if (Number.isNaN(ttlSeconds) || ttlSeconds <= 0) return 0;
  return Math.max(1, Math.round(ttlSeconds * 1000));
}

/**
 * The one cache interface of the gateway. Two backends implement it: a bounded in-memory one
 * (the default) and Redis (`REDIS_URL`). Values are strings (JSON written by the caller); a
 * backend that is slow, dead or restarting answers as a miss and never throws into a query.
 */
export interface Cache {
  /** The stored value, or `null` on a miss (including any backend failure). */
  get(key: string): Promise<string | null>;
  /** Stores a value; `ttlSeconds: null` keeps it for good. Failures are swallowed and logged. */
  set(key: string, value: string, ttlSeconds: number | null): Promise<void>;
  /** Stores only when the key is absent (a lock or a first writer wins); `false` when it exists or the backend failed. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Cache } from './cache.ts';
import { tokenKey, tokenLockKey, type CredentialFingerprint } from './keys.ts';
import type { AccessToken, TokenSource } from '../http/token.ts';
import type { TokenSeal } from './token-seal.ts';

/**
 * What is stored: the token (sealed, see `token-seal.ts`, or plain where no seal is given)
 * plus its lifetime, so a short-lived token is not refreshed on every read.
 */
const storedTokenModel = z.object({
  token: z.string().min(1),
  expiresAtMs: z.number().int(),
  lifetimeMs: z.number().int().positive(),
});
interface SharedToken {
  accessToken: string;
  expiresAtMs: number;
  lifetimeMs: number;
}

export interface TokenStoreOptions {
  clock?: () => number;
  /**
   * A token with less than this left (or a tenth of its lifetime, when that is shorter) is due:
   * `read` treats it as gone, so it is replaced before it expires.
   */
  refreshBeforeMs?: number;
  /** How long a refresher may hold the lock; a crashed holder frees it after this. */
  lockTtlMs?: number;
  /** How long a process that lost the lock waits for the holder's token before fetching its own. */
  waitForHolderMs?: number;
  pollMs?: number;
  /** Seals the token in the cache; in the clear without one (a cache only this process reads). */
  seal?: TokenSeal;
}

const defaults = { refreshBeforeMs: 60_000, lockTtlMs: 10_000, waitForHolderMs: 5_000, pollMs: 50 };

/**
 * The upstream access token shared by every replica through the cache, with a lock so that one
 * process refreshes at a time. The process's `TokenProvider` keeps its own copy and single
 * flight; `sharedTokenSource` below puts this store between it and the token endpoint.
 */
export class TokenStore {
  readonly #cache: Cache;
  readonly #clock: () => number;
  readonly #policy: typeof defaults;
  readonly #seal: TokenSeal | null;
  /** Only this store's own lock is ever released, never one that expired and was retaken. */
  readonly #ownerId = randomUUID();
  /**
   * The last token upstream refused, per credential. The refusal is remembered at once, so the
   * retry that follows a 401 cannot read the same token back while the delete is on its way.
   */
  readonly #refused = new Map<CredentialFingerprint, string>();

  constructor(cache: Cache, options: TokenStoreOptions = {}) {
    this.#cache = cache;
    this.#clock = options.clock ?? Date.now;
    this.#seal = options.seal ?? null;
    this.#policy = {
      refreshBeforeMs: options.refreshBeforeMs ?? defaults.refreshBeforeMs,
      lockTtlMs: options.lockTtlMs ?? defaults.lockTtlMs,
      waitForHolderMs: options.waitForHolderMs ?? defaults.waitForHolderMs,
      pollMs: options.pollMs ?? defaults.pollMs,
    };
  }

  /** The shared token, or `null` when there is none or it is due for refresh. */
  async read(fp: CredentialFingerprint): Promise<AccessToken | null> {
    const shared = await this.#readShared(fp);
    if (shared === null || !this.#isFresh(shared.token)) return null;
    if (shared.token.accessToken === this.#refused.get(fp)) return null;
    return { value: shared.token.accessToken, expiresAtMs: shared.token.expiresAtMs };
  }

  /** Shares a token until it expires. */
  async write(fp: CredentialFingerprint, accessToken: string, expiresAtMs: number): Promise<void> {
    const lifetimeMs = expiresAtMs - this.#clock();
    if (lifetimeMs <= 0) return;
    const token = this.#seal === null ? accessToken : this.#seal.seal(accessToken);
    await this.#cache.set(tokenKey(fp), JSON.stringify({ token, expiresAtMs, lifetimeMs }), lifetimeMs / 1000);
  }

  /** Removes the shared token if it is still `accessToken` (the upstream rejected it). */
  async discard(fp: CredentialFingerprint, accessToken: string): Promise<void> {
    this.#refused.set(fp, accessToken);
    const shared = await this.#readShared(fp);
    // Compare and delete the exact stored string: a newer token shared meanwhile stays.
    if (shared?.token.accessToken === accessToken) await this.#cache.deleteIfEquals(tokenKey(fp), shared.raw);
  }

  /** `true` when this store now holds the refresh lock; `false` when another does or the cache failed. */
  tryLock(fp: CredentialFingerprint, ttlMs: number): Promise<boolean> {
    return this.#cache.setIfAbsent(tokenLockKey(fp), this.#ownerId, ttlMs / 1000);
  }

  async unlock(fp: CredentialFingerprint): Promise<void> {
    await this.#cache.deleteIfEquals(tokenLockKey(fp), this.#ownerId);
  }

  /**
   * A fresh shared token, fetched by at most one process at a time: the lock holder fetches and
   * shares; the others wait briefly and read what it shared. Nobody waits on a cache that is
   * failing (no one can coordinate through it) or on a holder that takes too long.
   */
  async obtain(fp: CredentialFingerprint, fetchToken: () => Promise<AccessToken>): Promise<AccessToken> {
    const shared = await this.read(fp);
    if (shared !== null) return shared;

    if (await this.tryLock(fp, this.#policy.lockTtlMs)) {
      try {
        // The previous holder may have shared a token between our read and our lock.
        return (await this.read(fp)) ?? (await this.#fetchAndShare(fp, fetchToken));
      } finally {
        await this.unlock(fp);
      }
    }

    if (this.#cache.isHealthy()) {
      const deadline = this.#clock() + this.#policy.waitForHolderMs;
      while (this.#clock() < deadline) {
        await sleep(this.#policy.pollMs);
        const fromHolder = await this.read(fp);
        if (fromHolder !== null) return fromHolder;
      }
    }
    return this.#fetchAndShare(fp, fetchToken);
  }

  async #fetchAndShare(fp: CredentialFingerprint, fetchToken: () => Promise<AccessToken>): Promise<AccessToken> {
    const token = await fetchToken();
    await this.write(fp, token.value, token.expiresAtMs);
    return token;
  }

  async #readShared(fp: CredentialFingerprint): Promise<{ raw: string; token: SharedToken } | null> {
    const raw = await this.#cache.get(tokenKey(fp));
    if (raw === null) return null;
    const parsed = storedTokenModel.safeParse(safeJson(raw));
    if (!parsed.success) return null;
    const { token, expiresAtMs, lifetimeMs } = parsed.data;
    // A token sealed with another key (another secret) or changed in the cache is no token.
    const accessToken = this.#seal === null ? token : this.#seal.open(token);
    return accessToken === null ? null : { raw, token: { accessToken, expiresAtMs, lifetimeMs } };
  }

  #isFresh(token: SharedToken): boolean {
    const margin = Math.min(this.#policy.refreshBeforeMs, token.lifetimeMs / 10);
    return token.expiresAtMs - this.#clock() > margin;
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

/**
 * The token endpoint behind the shared store: `new TokenProvider(sharedTokenSource(store, fp,
 * endpoint))` makes every replica use one token and one refresh at a time.
 */
export function sharedTokenSource(store: TokenStore, fp: CredentialFingerprint, endpoint: TokenSource): TokenSource {
  return {
    fetch: () => store.obtain(fp, () => endpoint.fetch()),
    discard: async (token) => {
      await store.discard(fp, token);
      await endpoint.discard?.(token);
    },
  };
}

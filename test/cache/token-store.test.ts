import { describe, expect } from 'vitest';
import { credentialFingerprint } from '../../src/sources/cache/keys.ts';
import { MemoryCache } from '../../src/sources/cache/memory.ts';
import { TokenProvider, type AccessToken } from '../../src/sources/http/token.ts';
import { sharedTokenSource, TokenStore } from '../../src/sources/cache/token-store.ts';
import { it } from './redis-caches.ts';

const minute = 60_000;
let credentials = 0;
/** A new credential per test keeps tests from seeing each other's tokens and locks. */
const freshFingerprint = () =>
  credentialFingerprint({ baseUrl: 'http://emulator', clientId: `partner-${(credentials += 1)}`, clientSecret: 's' });

/** Stands in for the token endpoint: counts calls, and takes a while so contenders overlap. */
function tokenEndpoint(delayMs = 100) {
  const endpoint = {
    calls: 0,
    fetch: async (): Promise<AccessToken> => {
      endpoint.calls += 1;
      const issued = endpoint.calls;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { value: `token-${issued}`, expiresAtMs: Date.now() + 15 * minute };
    },
  };
  return endpoint;
}

describe('token store over the memory cache', () => {
  it('reads back what was written, until the token is due for refresh', async () => {
    let now = 1_700_000_000_000;
    const store = new TokenStore(new MemoryCache({ clock: () => now }), { clock: () => now, refreshBeforeMs: minute });
    const fp = freshFingerprint();
    await store.write(fp, 'abc', now + 15 * minute);
    expect(await store.read(fp)).toEqual({ value: 'abc', expiresAtMs: now + 15 * minute });

    now += 14 * minute; // one minute left: due
    expect(await store.read(fp)).toBeNull();
  });

  it('keeps a short-lived token usable for most of its life', async () => {
    let now = 1_700_000_000_000;
    const store = new TokenStore(new MemoryCache({ clock: () => now }), { clock: () => now, refreshBeforeMs: minute });
    const fp = freshFingerprint();
    await store.write(fp, 'short', now + 10_000);
    now += 8_000;
    expect((await store.read(fp))?.value).toBe('short');
    now += 1_500;
    expect(await store.read(fp)).toBeNull();
  });

  it('discards a rejected token but not a newer one', async () => {
    const store = new TokenStore(new MemoryCache());
    const fp = freshFingerprint();
    await store.write(fp, 'newer', Date.now() + 15 * minute);
    await store.discard(fp, 'rejected-old');
    expect((await store.read(fp))?.value).toBe('newer');
    await store.discard(fp, 'newer');
    expect(await store.read(fp)).toBeNull();
  });
});

describe('token store shared by replicas through Redis', () => {
  /** `replica(options)`: a replica's token store, on a Redis connection of its own. */
  const withReplicas = it.extend('replica', ({ openCache }) => async (options: ConstructorParameters<typeof TokenStore>[1] = {}) =>
    new TokenStore(await openCache(), options),
  );

  withReplicas('gives the lock to one contender, and only its holder releases it', async ({ replica }) => {
    const [a, b] = [await replica(), await replica()];
    const fp = freshFingerprint();
    const won = await Promise.all([a.tryLock(fp, minute), b.tryLock(fp, minute)]);
    expect(won.filter(Boolean)).toHaveLength(1);
    const [holder, other] = won[0] ? [a, b] : [b, a];

    await other.unlock(fp);
    expect(await other.tryLock(fp, minute)).toBe(false);
    await holder.unlock(fp);
    expect(await other.tryLock(fp, minute)).toBe(true);
  });

  withReplicas('lets one of two replicas refresh while the other waits and reads its token', async ({ replica }) => {
    const [a, b] = [await replica(), await replica()];
    const fp = freshFingerprint();
    const endpoint = tokenEndpoint();

    const [fromA, fromB] = await Promise.all([a.obtain(fp, endpoint.fetch), b.obtain(fp, endpoint.fetch)]);
    expect(endpoint.calls).toBe(1);
    expect(fromA.value).toBe('token-1');
    expect(fromB.value).toBe('token-1');

    expect((await a.obtain(fp, endpoint.fetch)).value).toBe('token-1');
    expect(endpoint.calls).toBe(1);
  });

  withReplicas('fetches its own token when the lock holder never shares one', async ({ replica }) => {
    const stuck = await replica();
    const waiting = await replica({ waitForHolderMs: 200, pollMs: 20 });
    const fp = freshFingerprint();
    expect(await stuck.tryLock(fp, minute)).toBe(true);

    const endpoint = tokenEndpoint(0);
    expect((await waiting.obtain(fp, endpoint.fetch)).value).toBe('token-1');
    expect(endpoint.calls).toBe(1);
  });

  withReplicas('does not wait on a lock while Redis is dead', async ({ redis, replica }) => {
    // Waiting would outlast the test timeout; a dead cache coordinates nobody.
    const store = await replica({ waitForHolderMs: 10 * minute });
    await redis.kill('SIGKILL');
    try {
      const endpoint = tokenEndpoint(0);
      const fp = freshFingerprint();
      expect((await store.obtain(fp, endpoint.fetch)).value).toBe('token-1');
      expect(endpoint.calls).toBe(1);
    } finally {
      await redis.restart();
    }
  });

  withReplicas('plugs into the token provider: two replicas, one token, one refresh', async ({ replica }) => {
    const fp = freshFingerprint();
    const endpoint = tokenEndpoint();
    const providers = [await replica(), await replica()].map(
      (store) => new TokenProvider(sharedTokenSource(store, fp, { fetch: endpoint.fetch })),
    );
    const tokens = await Promise.all(providers.flatMap((provider) => [provider.get(), provider.get()]));
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1', 'token-1']);
    expect(endpoint.calls).toBe(1);

    // Upstream refuses the token; the retry right after must not read it back from the store.
    providers[0]?.invalidate('token-1');
    expect(await providers[0]?.get()).toBe('token-2');
    expect(await providers[1]?.get()).toBe('token-1'); // its own copy is still valid to it
    expect(endpoint.calls).toBe(2);
  });
});

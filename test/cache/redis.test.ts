import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { createCache } from '../../src/sources/cache/index.ts';
import { RedisCache } from '../../src/sources/cache/redis.ts';
import { describeCacheContract } from './contract.ts';
import { eventually } from './eventually.ts';
import { recordingLogger } from './recording-logger.ts';
import { connectRedisCache, it } from './redis-caches.ts';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

async function rawClient(url: string) {
  const client = createClient({ url });
  await client.connect();
  return client;
}

// The contract's own hooks open its caches; they find the file's Redis here.
let redisUrl = '';
it.beforeAll(({ redis }) => {
  redisUrl = redis.url;
});

describeCacheContract('redis', async () => ({
  cache: await connectRedisCache(redisUrl),
  pass: (seconds) => sleep(seconds * 1000),
}));

describe('redis backend', () => {
  it('is what createCache builds with a Redis URL', async ({ redis }) => {
    const cache = await createCache({ redis: { url: redis.url }, logger: silentLogger });
    expect(cache).toBeInstanceOf(RedisCache);
    await cache.close();
  });

  it('stores TTLs in Redis itself, and none for values kept for good', async ({ redis, openCache }) => {
    const cache = await openCache();
    await cache.set('ttl:minute', 'v', 60);
    await cache.set('ttl:forever', 'v', null);
    const raw = await rawClient(redis.url);
    const minute = await raw.pTTL('ttl:minute');
    expect(minute).toBeGreaterThan(50_000);
    expect(minute).toBeLessThanOrEqual(60_000);
    expect(await raw.pTTL('ttl:forever')).toBe(-1);
    raw.destroy();
  });

  it('answers as a miss while Redis is dead, logs one warning, and resumes after a restart', async ({ redis, openCache }) => {
    const logger = recordingLogger();
    const cache = await openCache({ logger, commandTimeoutMs: 50, maxReconnectDelayMs: 200 });
    await cache.set('survivor', 'before', null);

    await redis.kill('SIGKILL');
    const started = Date.now();
    for (let i = 0; i < 20; i += 1) {
      expect(await cache.get('survivor')).toBeNull();
      await cache.set(`dead:${i}`, 'v', 60);
      expect(await cache.setIfAbsent('dead:lock', 'v', 60)).toBe(false);
      expect(await cache.deleteIfEquals('dead:lock', 'v')).toBe(false);
      await cache.delete('dead:lock');
    }
    expect(await cache.ping()).toBe(false);
    // A liveness bound, not a speed claim: even if every command ran into its 50 ms timeout
    // (a loaded machine may notice the dead socket late) they would finish well inside it.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(cache.isHealthy()).toBe(false);
    expect(logger.at('warn')).toHaveLength(1);

    await redis.restart();
    await eventually(() => cache.ping());
    await cache.set('after', 'restart', 60);
    expect(await cache.get('after')).toBe('restart');
    expect(cache.isHealthy()).toBe(true);

    expect(logger.at('warn')).toHaveLength(1);
    const recovered = logger.at('info').filter((line) => line.msg.includes('available again'));
    expect(recovered).toHaveLength(1);
    // Every command of the outage is accounted for, whether it was skipped or timed out.
    const { skippedCommands = 0, failedCommands = 0 } = recovered[0]?.fields ?? {};
    expect(Number(skippedCommands) + Number(failedCommands)).toBeGreaterThanOrEqual(100);
    expect(unhandled).toEqual([]);
  });

  it('answers as a miss while Redis hangs, stops sending past the pending limit, and recovers', async ({ redis, openCache }) => {
    const logger = recordingLogger();
    const cache = await openCache({ logger, commandTimeoutMs: 50, maxPendingCommands: 5 });
    await cache.set('hung', 'value', null);

    await redis.kill('SIGSTOP');
    try {
      const started = Date.now();
      const replies = await Promise.all(Array.from({ length: 20 }, () => cache.get('hung')));
      expect(replies).toEqual(Array(20).fill(null));
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(cache.isHealthy()).toBe(false);
    } finally {
      await redis.kill('SIGCONT');
    }

    await eventually(async () => (await cache.get('hung')) === 'value');
    expect(cache.isHealthy()).toBe(true);
    const recovered = logger.at('info').filter((line) => line.msg.includes('available again'));
    expect(recovered).toHaveLength(1);
    expect(recovered[0]?.fields.failedCommands).toBeGreaterThanOrEqual(5);
    expect(recovered[0]?.fields.skippedCommands).toBeGreaterThanOrEqual(15);
    expect(unhandled).toEqual([]);
  });

  it('starts while Redis is down and connects once it is up', async ({ redis }) => {
    const logger = recordingLogger();
    await redis.kill('SIGKILL');
    const cache = new RedisCache({ url: redis.url, logger, maxReconnectDelayMs: 200 });
    try {
      expect(await cache.get('anything')).toBeNull();
      expect(await cache.waitUntilReady(300)).toBe(false);

      await redis.restart();
      expect(await cache.waitUntilReady(5_000)).toBe(true);
      await cache.set('late', 'start', 60);
      expect(await cache.get('late')).toBe('start');
      expect(logger.at('warn')).toHaveLength(1);
      expect(unhandled).toEqual([]);
    } finally {
      await cache.close();
    }
  });

  it('closes without waiting on a Redis that hangs', async ({ redis, openCache }) => {
    const cache = await openCache({ commandTimeoutMs: 50 });
    await redis.kill('SIGSTOP');
    try {
      expect(await cache.get('x')).toBeNull();
      await cache.close();
      expect(await cache.get('x')).toBeNull();
    } finally {
      await redis.kill('SIGCONT');
    }
  });

  it('never asks Redis for KEYS', async ({ redis }) => {
    const raw = await rawClient(redis.url);
    const stats = await raw.info('commandstats');
    raw.destroy();
    expect(stats).toContain('cmdstat_get');
    expect(stats).not.toContain('cmdstat_keys');
  });
});

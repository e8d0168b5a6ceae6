import { expect } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { RedisCache } from '../../src/sources/cache/redis.ts';
import type { RedisConnectionOptions } from '../../src/sources/redis/connection.ts';
import { test as harness } from '../support/harness.ts';

/** A Redis cache on a connection of its own, as each gateway replica has, connected before it is handed out. */
export async function connectRedisCache(url: string, options: Partial<RedisConnectionOptions> = {}): Promise<RedisCache> {
  // Generous unless a test is about timeouts: a loaded CI machine must not turn a slow
  // reply into a miss that fails a test about something else.
  const cache = new RedisCache({ url, logger: silentLogger, commandTimeoutMs: 1_000, ...options });
  expect(await cache.waitUntilReady(20_000)).toBe(true);
  return cache;
}

/** The harness with `openCache(options)`: connected caches on the file's Redis, closed after each test. */
export const it = harness.extend('openCache', ({ redis }, { onCleanup }) => {
  const opened: RedisCache[] = [];
  onCleanup(async () => {
    await Promise.all(opened.map((cache) => cache.close()));
  });
  return async (options: Partial<RedisConnectionOptions> = {}) => {
    const cache = await connectRedisCache(redis.url, options);
    opened.push(cache);
    return cache;
  };
});

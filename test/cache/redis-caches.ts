import { afterEach, expect } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { RedisCache } from '../../src/sources/cache/redis.ts';
import type { RedisConnectionOptions } from '../../src/sources/redis/connection.ts';
import type { TestRedis } from '../support/redis.ts';

/**
 * Connected Redis caches for the enclosing suite, closed after each test. Each is its own
 * connection, as each gateway replica would have.
 */
export function redisCaches(redis: TestRedis): (options?: Partial<RedisConnectionOptions>) => Promise<RedisCache> {
  const opened: RedisCache[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((cache) => cache.close()));
  });
  return async (options = {}) => {
    // Generous unless a test is about timeouts: a loaded CI machine must not turn a slow
    // reply into a miss that fails a test about something else.
    const cache = new RedisCache({ url: redis.url, logger: silentLogger, commandTimeoutMs: 1_000, ...options });
    opened.push(cache);
    expect(await cache.waitUntilReady(20_000)).toBe(true);
    return cache;
  };
}

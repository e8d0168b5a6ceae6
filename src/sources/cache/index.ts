import type { Logger } from '../../logger.ts';
import type { RedisConnection } from '../redis/connection.ts';
import type { Cache } from './cache.ts';
import { MemoryCache, type MemoryCacheOptions } from './memory.ts';

export type { Cache } from './cache.ts';

export interface CreateCacheOptions {
  /** The shared Redis connection, or a URL to open one; `null` keeps everything in this process's memory. */
  redis: RedisConnection | { url: string; commandTimeoutMs?: number } | null;
  logger: Logger;
  memory?: MemoryCacheOptions;
}

export async function createCache(options: CreateCacheOptions): Promise<Cache> {
  const { redis } = options;
  if (redis === null) return new MemoryCache(options.memory);
  // node-redis is loaded only when Redis is configured (compose.ts says why).
  const [{ RedisCache }, { RedisConnection }] = await Promise.all([import('./redis.ts'), import('../redis/connection.ts')]);
  return new RedisCache(redis instanceof RedisConnection ? redis : { ...redis, logger: options.logger });
}

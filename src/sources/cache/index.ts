import type { Logger } from '../../logger.ts';
import { RedisConnection } from '../redis/connection.ts';
import type { Cache } from './cache.ts';
import { MemoryCache, type MemoryCacheOptions } from './memory.ts';
import { RedisCache } from './redis.ts';

export type { Cache } from './cache.ts';

export interface CreateCacheOptions {
  /** The shared Redis connection, or a URL to open one; `null` keeps everything in this process's memory. */
  redis: RedisConnection | { url: string; commandTimeoutMs?: number } | null;
  logger: Logger;
  memory?: MemoryCacheOptions;
}

export function createCache(options: CreateCacheOptions): Cache {
  const { redis } = options;
  if (redis === null) return new MemoryCache(options.memory);
  return new RedisCache(redis instanceof RedisConnection ? redis : { ...redis, logger: options.logger });
}

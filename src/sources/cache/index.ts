import type { Logger } from '../../logger.ts';
import type { Cache } from './cache.ts';
import { createMemoryCache, type MemoryCacheOptions } from './memory.ts';
import { createRedisCache, type RedisCacheOptions } from './redis.ts';

export type { Cache } from './cache.ts';

export interface CreateCacheOptions {
  /** `null` keeps everything in this process's memory. */
  redisUrl: string | null;
  logger: Logger;
  memory?: MemoryCacheOptions;
  redis?: Omit<RedisCacheOptions, 'url' | 'logger'>;
}

export function createCache(options: CreateCacheOptions): Cache {
  if (options.redisUrl === null) return createMemoryCache(options.memory);
  return createRedisCache({ ...options.redis, url: options.redisUrl, logger: options.logger });
}


import type { Config } from './config.ts';
import { startEmulator, type RunningEmulator } from './emulator/index.ts';
import { createLogger, type Logger } from './logger.ts';
import { createCache, type Cache } from './sources/cache/index.ts';
import { defaultResilience } from './sources/http/http.ts';
import { createUpstream, type Upstream, type UpstreamHttpOptions } from './sources/index.ts';
import { RedisConnection } from './sources/redis/connection.ts';
import { createMirror, type Mirror } from './sync/mirror.ts';

/**
 * The composition root: configuration → logger, the Redis connection, cache, upstream (with the
 * resilience layer) and feed mirror. `npm start`, `npm run sync`, the benchmarks and the test
 * harness build their parts here, so the wirings cannot drift apart.
 */
export interface Runtime {
  config: Config;
  logger: Logger;
  /** The one Redis connection (cache, shared token, mirror); null without `REDIS_URL`. */
  redis: RedisConnection | null;
  cache: Cache;
  upstream: Upstream;
  /** Null without Redis. */
  mirror: Mirror | null;
  /** The emulator started in this process when no upstream is configured. */
  emulator: RunningEmulator | null;
  /** Stops what was started, in reverse order; the in-process sync first. */
  close(): Promise<void>;
}

export interface ComposeOptions {
  /** Logs somewhere else than stdout at the configured level (tests). */
  logger?: Logger;
}

/** Where upstream is: the configured one, or an emulator in this process with its demo partner's keys. */
async function upstreamEndpoint(config: Config, logger: Logger) {
  if (config.upstream !== null) {
    const { baseUrl, clientId, clientSecret, systemName, systemVersion } = config.upstream;
    return { baseUrl, credentials: { clientId, clientSecret }, systemName, systemVersion, emulator: null };
  }
  const emulator = await startEmulator({
    port: 0,
    seed: config.emulator.seed,
    ...(config.emulator.now === null ? {} : { now: config.emulator.now }),
  });
  const demo = emulator.partners[0];
  if (demo === undefined) throw new Error('the emulator has no demo partner');
  logger.info('no VIPPS_BASE_URL: serving the embedded emulator', { url: emulator.url, partner: demo.name, seed: config.emulator.seed });
  const credentials = { clientId: demo.clientId, clientSecret: demo.clientSecret };
  return { baseUrl: emulator.url, credentials, systemName: 'vmp-reporting-gateway', systemVersion: 'emulated', emulator };
}

export async function compose(config: Config, options: ComposeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const { emulator, ...endpoint } = await upstreamEndpoint(config, logger);
  const redis = config.redis === null ? null : new RedisConnection({ ...config.redis, logger });
  const cache = createCache({ redis, logger });
  const mirror = redis === null ? null : createMirror(config, redis, logger);
  if (redis === null && config.sync.inProcess) logger.warn('SYNC_IN_PROCESS needs REDIS_URL: the feed mirror is off');

  // The sync runs on the same request path as the gateway: the HTTP layer's retries, breakers
  // and concurrency limit protect upstream from it too, and its own patient retries (sync/retry.ts)
  // wait out what lasts longer than one call's retries.
  const http: UpstreamHttpOptions = {
    ...endpoint,
    logger,
    timeouts: { connectMs: config.limits.connectTimeoutMs, requestMs: config.limits.requestTimeoutMs },
    connections: config.limits.upstreamConnections,
    resilience: defaultResilience,
  };
  const upstream = createUpstream(http, { cache, policy: config.cache, mirror: mirror?.reader ?? null });

  return {
    config,
    logger,
    redis,
    cache,
    upstream,
    mirror,
    emulator,
    async close() {
      await mirror?.close();
      await upstream.close();
      await cache.close();
      await redis?.close();
      await emulator?.close();
    },
  };
}

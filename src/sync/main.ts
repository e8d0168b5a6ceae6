import { loadConfig, ConfigError, type Config } from '../config.ts';
import { createConsoleLogger } from '../logger.ts';
import { createCache } from '../sources/cache/index.ts';
import { createUpstream } from '../sources/index.ts';
import { MirrorRedis } from '../sources/redis/connection.ts';
import { MirrorStore } from './store.ts';
import { startSyncLoop, syncPass } from './syncer.ts';
import { syncOptions } from './wiring.ts';

/**
 * `npm run sync`: keeps the feed mirror in Redis up to date, a pass every SYNC_INTERVAL_SECONDS
 * until SIGTERM/SIGINT. `npm run sync -- --once` makes one pass to the end of every feed and
 * exits (0 when every feed got there). Killing it at any moment loses nothing: the next run
 * continues from the last stored page.
 */

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function readConfig(): Config & { redis: NonNullable<Config['redis']>; upstream: NonNullable<Config['upstream']> } {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const { redis, upstream } = config;
  if (redis === null) fail('npm run sync needs REDIS_URL: the mirror lives in Redis, where the gateways read it.');
  // An emulator of its own would have other ledgers' cursors than the gateway's upstream.
  if (upstream === null) fail('npm run sync needs VIPPS_BASE_URL, VIPPS_CLIENT_ID and VIPPS_CLIENT_SECRET: the upstream to mirror.');
  return { ...config, redis, upstream };
}

async function main(): Promise<void> {
  const config = readConfig();
  const once = process.argv.includes('--once');
  const logger = createConsoleLogger({ level: config.logLevel });
  // The shared token: a sync and the gateways on one Redis refresh it once between them.
  const cache = createCache({ redisUrl: config.redis.url, logger, redis: { commandTimeoutMs: config.redis.commandTimeoutMs } });
  const { baseUrl, clientId, clientSecret, systemName, systemVersion } = config.upstream;
  const upstream = createUpstream(
    {
      baseUrl,
      credentials: { clientId, clientSecret },
      systemName,
      systemVersion,
      logger,
      timeouts: { connectMs: config.limits.connectTimeoutMs, requestMs: config.limits.requestTimeoutMs },
      connections: config.limits.upstreamConnections,
    },
    { cache, policy: config.cache },
  );
  const redis = new MirrorRedis({ url: config.redis.url, logger });
  if (!(await redis.waitUntilReady(10_000))) fail(`Redis at REDIS_URL did not answer within 10 s.`);
  const options = syncOptions(config, upstream, new MirrorStore(redis), logger);
  const close = async () => {
    await upstream.close();
    await redis.close();
    await cache.close();
  };

  if (once) {
    const report = await syncPass(options);
    await close();
    process.exitCode = report.failed === 0 ? 0 : 1;
    return;
  }
  const loop = startSyncLoop(options, config.sync.intervalSeconds * 1000);
  const stop = async (signal: string) => {
    logger.info('stopping the sync after the page being stored', { signal });
    await loop.stop();
    await close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`sync failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

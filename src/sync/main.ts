import { compose } from '../compose.ts';
import { loadConfig, ConfigError, type Config } from '../config.ts';
import { syncOptions } from './mirror.ts';
import { progressFor } from './progress.ts';
import { startSyncLoop, syncPass } from './syncer.ts';

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

function readConfig(): Config {
  let config: Config;
  try {
    config = loadConfig(process.env, { serving: false });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  if (config.redis === null) fail('npm run sync needs REDIS_URL: the mirror lives in Redis, where the gateways read it.');
  // An emulator of its own would have other ledgers' cursors than the gateway's upstream.
  if (config.upstream === null) fail('npm run sync needs VIPPS_BASE_URL, VIPPS_CLIENT_ID and VIPPS_CLIENT_SECRET: the upstream to mirror.');
  return config;
}

async function main(): Promise<void> {
  const config = readConfig();
  const once = process.argv.includes('--once');
  // The shared token: a sync and the gateways on one Redis refresh it once between them.
  const runtime = await compose(config);
  const { redis, mirror, upstream, logger, live } = runtime;
  if (redis === null || mirror === null) fail('npm run sync needs REDIS_URL.');
  if (!(await redis.waitUntilReady(10_000))) fail(`Redis at REDIS_URL did not answer within 10 s.`);
  // Progress goes to stderr, beside the JSON log lines on stdout.
  const progress = progressFor(config.sync.progress, process.stderr);
  const options = { ...syncOptions(config, upstream, mirror.store, logger, live), progress };

  if (once) {
    const report = await syncPass(options);
    progress?.stop();
    await runtime.close();
    process.exitCode = report.failed === 0 ? 0 : 1;
    return;
  }
  const loop = startSyncLoop(options, config.sync.intervalSeconds * 1000);
  const stop = async (signal: string) => {
    logger.info('stopping the sync after the page being stored', { signal });
    await loop.stop();
    progress?.stop();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`sync failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

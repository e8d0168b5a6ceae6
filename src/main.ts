import { createServer } from 'node:http';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { startEmulator } from './emulator/index.ts';
import { createConsoleLogger, type Logger } from './logger.ts';
import { createGateway } from './server/gateway.ts';
import { createCache } from './sources/cache/index.ts';
import { addDays } from './kernel/calendar.ts';
import { defaultResilience } from './sources/http/http.ts';
import { createUpstream, type UpstreamHttpOptions } from './sources/index.ts';
import { createGatewayMirror } from './sync/wiring.ts';

/**
 * The entry of `npm start`: configuration, the upstream (or the embedded emulator when no
 * upstream is configured), the gateway on node:http, and an orderly stop on SIGTERM/SIGINT.
 */

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** The real upstream, or an emulator in this process with its demo partner's keys. */
async function upstreamOptions(config: Config, logger: Logger) {
  const common = {
    logger,
    timeouts: { connectMs: config.limits.connectTimeoutMs, requestMs: config.limits.requestTimeoutMs },
    connections: config.limits.upstreamConnections,
    resilience: defaultResilience,
  };
  if (config.upstream !== null) {
    const { baseUrl, clientId, clientSecret, systemName, systemVersion } = config.upstream;
    const options: UpstreamHttpOptions = {
      ...common,
      baseUrl,
      credentials: { clientId, clientSecret },
      systemName,
      systemVersion,
    };
    return { options, emulator: null, example: undefined };
  }
  const emulator = await startEmulator({
    port: 0,
    seed: config.emulator.seed,
    ...(config.emulator.now === null ? {} : { now: config.emulator.now }),
  });
  const demo = emulator.partners[0];
  if (demo === undefined) throw new Error('the emulator has no demo partner');
  logger.info('no VIPPS_BASE_URL: serving the embedded emulator', {
    url: emulator.url,
    partner: demo.name,
    seed: config.emulator.seed,
  });
  const options: UpstreamHttpOptions = {
    ...common,
    baseUrl: emulator.url,
    credentials: { clientId: demo.clientId, clientSecret: demo.clientSecret },
    systemName: 'vmp-reporting-gateway',
    systemVersion: 'emulated',
  };
  // Yesterday on the emulator's clock is a closed ledger date with a full day of sales.
  const today = (config.emulator.now ?? new Date().toISOString()).slice(0, 10);
  const example = demo.ledgerIds[0] === undefined ? undefined : { ledgerId: demo.ledgerIds[0], date: addDays(today, -1) };
  return { options, emulator, example };
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createConsoleLogger({ level: config.logLevel });
  const { options, emulator, example } = await upstreamOptions(config, logger);
  const cache = createCache({
    redisUrl: config.redis?.url ?? null,
    logger,
    redis: { commandTimeoutMs: config.redis?.commandTimeoutMs },
  });
  // With Redis: the feed mirror for the joins, and its sync here when SYNC_IN_PROCESS is on.
  const mirror = createGatewayMirror(config, logger);
  const upstream = createUpstream(options, { cache, policy: config.cache, mirror: mirror?.reader ?? null });
  mirror?.startInProcessSync(upstream);
  const gateway = createGateway(config, { upstream, cache, logger, ...(example === undefined ? {} : { example }) });

  const server = createServer(gateway.yoga);
  await new Promise<void>((resolve) => server.listen(config.server.port, config.server.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.server.port;
  logger.info('gateway listening', { graphiql: `http://${config.server.host}:${port}/graphql` });
  process.stdout.write(`GraphiQL: http://${config.server.host}:${port}/graphql\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping: draining open requests', { signal });
    // Stop accepting, let requests in flight finish, then drop idle keep-alive sockets. No
    // request outlives its deadline, so the longest one allowed bounds the wait.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const forced = setTimeout(() => server.closeAllConnections(), config.limits.maxRequestDeadlineMs + 2_000);
    await closed;
    clearTimeout(forced);
    await gateway.close();
    await mirror?.close();
    await upstream.close();
    await cache.close();
    await emulator?.close();
    logger.info('stopped');
  };
  process.once('SIGTERM', () => void stop('SIGTERM').then(() => process.exit(0)));
  process.once('SIGINT', () => void stop('SIGINT').then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

import { createServer } from 'node:http';
import { compose } from './compose.ts';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { loadLedgerTimeZones } from './kernel/booking-window.ts';
import { gatewayFromRuntime } from './server/from-runtime.ts';
import { IdleCollector } from './server/idle-memory.ts';
import { serveMetrics } from './telemetry/metrics-server.ts';

/**
 * The entry of `npm start`: configuration, the composed runtime (the embedded emulator when no
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

async function main(): Promise<void> {
  const config = readConfig();
  const runtime = await compose(config);
  const { logger, upstream, emulator, tenants } = runtime;
  runtime.mirror?.startInProcessSync(upstream);
  if (tenants === null) logger.warn('open mode: no caller identity; every ledger of the accounting keys is visible to whoever reaches this port');
  else logger.info('tenants mode', { tenants: tenants.size, jwt: config.auth.jwt !== null });
  // The embedded emulator stands still at EMULATOR_NOW: its dates, not the real time's, are closed.
  const fixedNow = emulator === null || config.emulator.now === null ? null : Date.parse(config.emulator.now);
  const gateway = gatewayFromRuntime(runtime, fixedNow === null ? {} : { now: () => fixedNow });
  // SIGHUP reads the tenants file again (new, rotated and revoked keys) without dropping a request.
  process.on('SIGHUP', () => void tenants?.reload(logger));

  const server = createServer(gateway.yoga);
  const idleMemory = new IdleCollector({ idleMs: config.server.idleGcSeconds * 1000, logger });
  let stopping = false;
  // `server.close()` drops only the connections idle at that moment: a keep-alive connection
  // whose request ends while draining would hold the exit until the client lets it go.
  server.on('request', (_request, response) => {
    idleMemory.activity();
    response.once('finish', () => {
      if (stopping) server.closeIdleConnections();
    });
    response.once('close', () => idleMemory.activity());
  });
  loadLedgerTimeZones();
  // What start-up built and threw away (the schema, the configuration) goes before the first request.
  if (config.server.idleGcSeconds > 0) await idleMemory.collect();
  await new Promise<void>((resolve) => server.listen(config.server.port, config.server.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.server.port;
  logger.info('gateway listening', { graphiql: `http://${config.server.host}:${port}/graphql` });
  const { metrics } = runtime.telemetry;
  const metricsServer = metrics !== null && config.metrics?.port != null ? await serveMetrics(metrics, config.metrics, config.server.host, config.metrics.port) : null;
  if (config.metrics === null) logger.info('metrics off (METRICS=true, METRICS_TOKEN or METRICS_PORT turns them on)');
  else logger.info('metrics served', { port: config.metrics.port ?? port, path: '/metrics', tokenRequired: config.metrics.token !== null });
  if (config.tracing !== null) logger.info('traces sent over OTLP', { endpoint: config.tracing.endpoint, sampleRatio: config.tracing.sampleRatio });
  // The admin token goes to the terminal only, never into a log line.
  // The lines above first: what reads this output finds the embedded emulator's address before the GraphiQL line.
  await logger.flush?.();
  if (emulator?.adminToken != null) process.stdout.write(`Emulator admin: ${emulator.url}/__emulator/ with Authorization: Bearer ${emulator.adminToken}\n`);
  process.stdout.write(`GraphiQL: http://${config.server.host}:${port}/graphql\n`);

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
    idleMemory.close();
    metricsServer?.close();
    await gateway.close();
    await runtime.close();
    logger.info('stopped');
    // Log lines are written in batches: none is lost to the exit.
    await logger.flush?.();
  };
  process.once('SIGTERM', () => void stop('SIGTERM').then(() => process.exit(0)));
  process.once('SIGINT', () => void stop('SIGINT').then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

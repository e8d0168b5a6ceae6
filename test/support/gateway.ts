import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { compose, type Runtime } from '../../src/compose.ts';
import { loadConfig } from '../../src/config.ts';
import type { DemoPartner } from '../../src/emulator/index.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { createGateway, type Gateway } from '../../src/server/gateway.ts';
import { gatewayFromRuntime } from '../../src/server/from-runtime.ts';
import type { Upstream } from '../../src/sources/index.ts';
import { graphClient, type GraphClient } from './graphql.ts';

/**
 * A gateway in front of the test emulator, called through `yoga.fetch` (it opens no port). It is
 * built as `npm start` builds it: configuration → the composition root → `createGateway`, so
 * tests run the resilience layer, the cache and the mirror the way a deployment does.
 */

export interface TestGateway extends GraphClient {
  /** The Yoga instance, for what is not a GraphQL request (`/health`, `/ready`, GraphiQL). */
  yoga: Gateway['yoga'];
  upstream: Upstream;
  close(): Promise<void>;
}

export interface ComposedGateway extends TestGateway {
  /** What the composition root built: configuration, cache, the Redis connection, the mirror. */
  runtime: Runtime;
}

export interface GatewayOptions {
  /** Whose accounting keys the gateway holds; the demo partner unless named. */
  partner?: DemoPartner;
  /** A real Redis for the cache, the shared token and the mirror; without it the memory cache. */
  redis?: { url: string };
  /** More configuration, as environment variables (`QUERY_MAX_COST`, `CACHE_OPEN_DATE_TTL_SECONDS`, …). */
  env?: Record<string, string>;
  logger?: Logger;
  /** Spans of the gateway's traces (with an OTLP endpoint configured in `env`) go here instead. */
  traceExporter?: SpanExporter;
}

export async function composeGateway(emulator: { url: string; partner: DemoPartner }, options: GatewayOptions = {}): Promise<ComposedGateway> {
  const partner = options.partner ?? emulator.partner;
  const logger = options.logger ?? silentLogger;
  const config = loadConfig({
    VIPPS_BASE_URL: emulator.url,
    VIPPS_CLIENT_ID: partner.clientId,
    VIPPS_CLIENT_SECRET: partner.clientSecret,
    VIPPS_SYSTEM_NAME: 'gateway-tests',
    // A generous command timeout: a command waits for the event loop too, a busy test process can
    // hold a reply for a second, and a write that times out is a miss the next read pays for
    // upstream. Tests of a dead Redis set their own.
    ...(options.redis === undefined ? {} : { REDIS_URL: options.redis.url, REDIS_COMMAND_TIMEOUT_MS: '5000' }),
    // Callers are configured where a test is about callers; elsewhere the gateway is open.
    ...(options.env?.TENANTS_FILE === undefined ? { AUTH_MODE: 'open' } : {}),
    // The suites count what executing a document reads; the whole-answer cache's suite turns it on.
    ANSWER_CACHE: 'false',
    ...options.env,
  });
  const runtime = await compose(config, { logger, ...(options.traceExporter === undefined ? {} : { traceExporter: options.traceExporter }) });
  if (runtime.redis !== null && !(await runtime.redis.waitUntilReady(5_000))) {
    await runtime.close();
    throw new Error('the test Redis did not answer');
  }
  const gateway = gatewayFromRuntime(runtime);
  return {
    ...graphClient(gateway),
    yoga: gateway.yoga,
    upstream: runtime.upstream,
    runtime,
    async close() {
      await gateway.close();
      await runtime.close();
    },
  };
}

/**
 * A gateway over an upstream the test built by hand. Only for what the composition root cannot
 * build (an upstream without a cache, with resilience settings of its own, or through a proxy);
 * the caller says why. Closing it closes the upstream too.
 */
export function gatewayOver(upstream: Upstream, options: { env?: Record<string, string>; logger?: Logger } = {}): TestGateway {
  const gateway = createGateway(loadConfig(options.env ?? {}), { upstream, logger: options.logger ?? silentLogger });
  return {
    ...graphClient(gateway),
    yoga: gateway.yoga,
    upstream,
    async close() {
      await gateway.close();
      await upstream.close();
    },
  };
}

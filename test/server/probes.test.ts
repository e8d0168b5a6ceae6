import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compose, type Runtime } from '../../src/compose.ts';
import { loadConfig } from '../../src/config.ts';
import { startEmulator, type DemoPartner, type RunningEmulator } from '../../src/emulator/index.ts';
import { silentLogger } from '../../src/logger.ts';
import { gatewayFromRuntime } from '../../src/server/from-runtime.ts';
import type { Gateway } from '../../src/server/gateway.ts';
import { startRedis, type TestRedis } from '../support/redis.ts';

/**
 * The liveness and readiness probes under both names (`/health`, `/healthcheck`; `/ready`,
 * `/readiness`), on a gateway composed as `npm start` composes it, against a real emulator and
 * a real redis-server that is stopped halfway.
 */

const readinessModel = z.object({ status: z.enum(['ready', 'degraded', 'unavailable']), upstream: z.string(), checks: z.record(z.string(), z.string()) });
const ledgersAnswerModel = z.object({
  data: z.object({ ledgers: z.object({ edges: z.array(z.object({ node: z.object({ ledgerId: z.string() }) })).min(1) }) }),
});

interface Probed {
  gateway: Gateway;
  runtime: Runtime;
  get(path: string): Promise<Response>;
  readiness(path: string): Promise<{ httpStatus: number; body: z.infer<typeof readinessModel> }>;
  close(): Promise<void>;
}

describe('probes', () => {
  let emulator: RunningEmulator;
  let partner: DemoPartner;
  let redis: TestRedis;
  const opened: Probed[] = [];
  /** The readiness answer names the configured upstream by its host. */
  const upstreamHost = () => new URL(emulator.url).host;

  beforeAll(async () => {
    [emulator, redis] = await Promise.all([startEmulator({ port: 0, now: '2026-05-20T12:00:00Z' }), startRedis()]);
    partner = emulator.partners[0]!;
  });
  afterAll(async () => {
    await Promise.all(opened.map((probed) => probed.close()));
    await Promise.all([emulator?.close(), redis?.stop()]);
  });

  async function gatewayWith(env: Record<string, string>): Promise<Probed> {
    const config = loadConfig({
      VIPPS_BASE_URL: emulator.url,
      VIPPS_CLIENT_ID: partner.clientId,
      VIPPS_CLIENT_SECRET: partner.clientSecret,
      AUTH_MODE: 'open',
      // A busy test machine can take longer than the default 50 ms to answer a PING.
      REDIS_COMMAND_TIMEOUT_MS: '5000',
      ...env,
    });
    const runtime = await compose(config, { logger: silentLogger });
    const gateway = gatewayFromRuntime(runtime);
    const get = async (path: string) => gateway.yoga.fetch(`http://localhost${path}`);
    const probed: Probed = {
      gateway,
      runtime,
      get,
      readiness: async (path) => {
        const response = await get(path);
        return { httpStatus: response.status, body: readinessModel.parse(await response.json()) };
      },
      close: async () => {
        await gateway.close();
        await runtime.close();
      },
    };
    opened.push(probed);
    return probed;
  }

  it('answers liveness on /health and /healthcheck', async () => {
    const { get } = await gatewayWith({});
    for (const path of ['/health', '/healthcheck']) expect((await get(path)).status, path).toBe(200);
  });

  it('is ready on /ready and /readiness while upstream hands out a token, naming Redis when it is configured', async () => {
    const memory = await gatewayWith({});
    const shared = await gatewayWith({ REDIS_URL: redis.url });
    expect(await shared.runtime.redis?.waitUntilReady(5_000)).toBe(true);
    for (const path of ['/ready', '/readiness']) {
      expect(await memory.readiness(path), path).toEqual({ httpStatus: 200, body: { upstream: upstreamHost(), status: 'ready', checks: { upstreamToken: 'ok' } } });
      expect(await shared.readiness(path), path).toEqual({ httpStatus: 200, body: { upstream: upstreamHost(), status: 'ready', checks: { upstreamToken: 'ok', redis: 'ok' } } });
    }
  });

  it('names the embedded emulator as the upstream, so made-up data is never mistaken for production', async () => {
    const runtime = await compose(loadConfig({ EMULATOR_NOW: '2026-05-20T12:00:00Z' }), { logger: silentLogger });
    const gateway = gatewayFromRuntime(runtime);
    try {
      const response = await gateway.yoga.fetch('http://localhost/ready');
      expect(readinessModel.parse(await response.json())).toEqual({ upstream: 'emulator', status: 'ready', checks: { upstreamToken: 'ok' } });
    } finally {
      await gateway.close();
      await runtime.close();
    }
  });

  it('is unavailable (503) on /ready and /readiness when upstream refuses the token', async () => {
    const refused = await gatewayWith({ VIPPS_CLIENT_SECRET: 'not-the-secret' });
    for (const path of ['/ready', '/readiness']) {
      expect(await refused.readiness(path), path).toEqual({
        httpStatus: 503,
        body: { upstream: upstreamHost(), status: 'unavailable', checks: { upstreamToken: 'UPSTREAM_UNAUTHORIZED' } },
      });
    }
  });

  it('stays ready but degraded while Redis is down, and still answers queries', async () => {
    const probed = await gatewayWith({ REDIS_URL: redis.url });
    expect(await probed.runtime.redis?.waitUntilReady(5_000)).toBe(true);
    expect((await probed.readiness('/readiness')).body.status).toBe('ready');

    await redis.stop();
    for (const path of ['/ready', '/readiness']) {
      expect(await probed.readiness(path), path).toEqual({
        httpStatus: 200,
        body: { upstream: upstreamHost(), status: 'degraded', checks: { upstreamToken: 'ok', redis: 'unreachable' } },
      });
    }
    const answer = await probed.gateway.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ ledgers(first: 1) { edges { node { ledgerId } } } }' }),
    });
    expect(answer.status).toBe(200);
    expect(ledgersAnswerModel.parse(await answer.json()).data.ledgers.edges).toHaveLength(1);
  });
});

import type { EmulatorAdmin } from '../../src/emulator/admin-client.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { defaultResilience, type UpstreamHttpOptions } from '../../src/sources/http/http.ts';
import type { TestEmulator } from '../support/emulator.ts';
import { gatewayOver, type TestGateway } from '../support/gateway.ts';
import type { GraphResponse } from '../support/graphql.ts';
import { test as harness } from '../support/harness.ts';
import { plainUpstream } from '../support/upstream.ts';

/**
 * Gateways for the fault suites, with the production resilience settings unless a test says
 * otherwise. Built over an upstream made by hand, not by the composition root: its cache would
 * answer a page loaded again without asking upstream, and these suites fault and count every
 * call; several tests also set timeouts, breaker and budget settings configuration does not offer.
 */

export interface LabGatewayOptions {
  /** Upstream options over the defaults (the emulator, the demo partner, `defaultResilience`). */
  upstream?: Partial<UpstreamHttpOptions>;
  /** Environment for `loadConfig`, e.g. `REQUEST_DEADLINE_MS`. */
  env?: Record<string, string>;
  logger?: Logger;
}

export interface FaultLab {
  emulator: TestEmulator;
  admin: EmulatorAdmin;
  /** A new gateway with its own upstream client and token, closed with the lab. */
  gateway(options?: LabGatewayOptions): TestGateway;
  close(): Promise<void>;
}

export function faultLab(emulator: TestEmulator): FaultLab {
  const gateways: TestGateway[] = [];
  return {
    emulator,
    admin: emulator.admin,
    gateway(options = {}) {
      const logger = options.logger ?? silentLogger;
      const upstream = plainUpstream(emulator.url, emulator.partner, { resilience: defaultResilience, logger, ...options.upstream });
      const gateway = gatewayOver(upstream, { logger, ...(options.env === undefined ? {} : { env: options.env }) });
      gateways.push(gateway);
      return gateway;
    },
    async close() {
      await Promise.all(gateways.map((gateway) => gateway.close()));
    },
  };
}

/** The harness with the file's fault lab over the file's emulator. */
export const it = harness.extend('lab', { scope: 'file' }, ({ emulator }, { onCleanup }) => {
  const lab = faultLab(emulator);
  onCleanup(() => lab.close());
  return lab;
});

/** Runs `work` over `items`, `concurrency` at a time; results in item order. */
export async function inParallel<Item, Result>(items: readonly Item[], concurrency: number, work: (item: Item) => Promise<Result>): Promise<Result[]> {
  const results: Result[] = [];
  // One iterator shared by the workers: each item is taken exactly once.
  const queue = items.entries();
  const worker = async () => {
    for (const [index, item] of queue) results[index] = await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** The error codes of an answer, sorted, for compact assertions and tables. */
export function codesOf(answer: GraphResponse<unknown>): string[] {
  return answer.errors.map((error) => String(error.extensions?.code ?? 'NONE')).sort();
}

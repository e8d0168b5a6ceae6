import { loadConfig } from '../../src/config.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { createGateway } from '../../src/server/gateway.ts';
import { defaultResilience, type UpstreamHttpOptions } from '../../src/sources/http/http.ts';
import type { Upstream } from '../../src/sources/index.ts';
import { startHarness, type EmulatorHarness } from '../sources/emulator.ts';
import { answerModel, postGraphql, type AnsweredError } from '../support/graphql.ts';

/**
 * Gateways over a real emulator on a loopback port, running with the production resilience
 * settings unless a test says otherwise, called through `yoga.fetch` with plain documents (the
 * answers are compared with fault-free answers as JSON, so no typed shape is needed).
 */

export interface Answer {
  status: number;
  data: unknown;
  errors: AnsweredError[];
  /** Wall time from sending the request to having the whole answer. */
  ms: number;
}

export interface LabGateway {
  upstream: Upstream;
  query(document: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<Answer>;
}

export interface LabGatewayOptions {
  /** Upstream options over the defaults (the emulator, the demo partner, `defaultResilience`). */
  upstream?: Partial<UpstreamHttpOptions>;
  /** Environment for `loadConfig`, e.g. `REQUEST_DEADLINE_MS`. */
  env?: Record<string, string>;
  logger?: Logger;
}

export interface FaultLab extends EmulatorHarness {
  gateway(options?: LabGatewayOptions): LabGateway;
}

export async function startFaultLab(options: Parameters<typeof startHarness>[0] = {}): Promise<FaultLab> {
  const harness = await startHarness(options);
  const gateways: Array<{ close(): Promise<void> }> = [];
  return {
    ...harness,
    gateway(lab: LabGatewayOptions = {}) {
      const logger = lab.logger ?? silentLogger;
      const upstream = harness.upstream(0, { resilience: defaultResilience, logger, ...lab.upstream });
      const gateway = createGateway(loadConfig(lab.env ?? {}), { upstream, logger });
      gateways.push(gateway);
      return {
        upstream,
        async query(document, variables = {}, headers = {}) {
          const startedAt = performance.now();
          const response = await postGraphql(gateway, document, variables, headers);
          const body = answerModel.parse(JSON.parse(await response.text()));
          return { status: response.status, data: body.data ?? null, errors: body.errors ?? [], ms: performance.now() - startedAt };
        },
      };
    },
    async close() {
      await Promise.all(gateways.map((gateway) => gateway.close()));
      await harness.close();
    },
  };
}

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
export function codesOf(answer: Answer): string[] {
  return answer.errors.map((error) => String(error.extensions?.code ?? 'NONE')).sort();
}

import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { z } from 'zod';

/** Load runs with autocannon, from this process, against one HTTP endpoint. */

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadTarget extends HttpRequest {
  /** Every answer must be byte for byte this body; a different one fails the run. */
  expectBody: string;
}

export interface LoadRun {
  /** Answers completed in the run. */
  requests: number;
  seconds: number;
  /** The time of every answer, so that runs can be pooled before taking percentiles. */
  latenciesMs: number[];
}

const resultModel = z.object({
  requests: z.object({ total: z.number() }),
  duration: z.number(),
  non2xx: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  mismatches: z.number(),
});

// autocannon ships no types: it is loaded as unknown, and what it hands back is checked.
const loaded: unknown = createRequire(import.meta.url)('autocannon');

function autocannon(options: object, onAnswer: (latencyMs: number) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (typeof loaded !== 'function') throw new Error('autocannon did not load as a function');
    const tracker: unknown = loaded(options, (error: unknown, result: unknown) => (error ? reject(error) : resolve(result)));
    if (!(tracker instanceof EventEmitter)) throw new Error('autocannon returned no event emitter');
    tracker.on('response', (_client: unknown, _status: unknown, _bytes: unknown, latencyMs: unknown) => {
      if (typeof latencyMs === 'number') onAnswer(latencyMs);
    });
  });
}

/** One request, outside any load run; its body, or an error unless it answered 200. */
export async function sendOnce(request: HttpRequest): Promise<string> {
  const response = await fetch(request.url, {
    method: request.method ?? 'GET',
    headers: request.headers ?? {},
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${request.url}: HTTP ${response.status} ${body.slice(0, 500)}`);
  return body;
}

export async function load(target: LoadTarget, options: { connections: number; durationSeconds: number; timeoutSeconds?: number }): Promise<LoadRun> {
  const latenciesMs: number[] = [];
  const result = resultModel.parse(
    await autocannon(
      {
        url: target.url,
        method: target.method ?? 'GET',
        headers: target.headers ?? {},
        ...(target.body === undefined ? {} : { body: target.body }),
        expectBody: target.expectBody,
        connections: options.connections,
        duration: options.durationSeconds,
        // autocannon gives up on an answer after 10 s unless told otherwise.
        ...(options.timeoutSeconds === undefined ? {} : { timeout: options.timeoutSeconds }),
      },
      (latencyMs) => latenciesMs.push(latencyMs),
    ),
  );
  const failures = result.non2xx + result.errors + result.timeouts + result.mismatches;
  if (failures > 0) {
    throw new Error(
      `${target.url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts, ${result.mismatches} unexpected bodies`,
    );
  }
  return { requests: result.requests.total, seconds: result.duration, latenciesMs };
}

/** The nearest-rank percentile (`share` 0.5 for p50) of a list of times. */
export function percentile(sortedMs: readonly number[], share: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.max(0, Math.ceil(share * sortedMs.length) - 1))] ?? Number.NaN;
}

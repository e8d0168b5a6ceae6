import { routeTemplates } from '../../src/emulator/http/routes.ts';
import type { EmulatorProcess, UpstreamCalls } from './emulator-process.ts';
import { load, percentile, sendOnce, type HttpRequest, type LoadTarget } from './load.ts';
import type { BenchContext } from './scenario.ts';

/**
 * Servers compared under the same load, in alternating slices (A B B A A B …) rather than one
 * after the other, so that a noisy neighbour or a drifting machine weighs on both alike.
 */

interface Watched {
  cpuSeconds(): number | null;
}

export interface Side {
  label: string;
  server: Watched;
  target: LoadTarget;
}

export interface SideFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests/s of each round, in round order, to show how steady the figure is. */
  roundRates: number[];
  upstreamCallsPerRequest: number;
  /** Upstream calls per route template, summed over the measured rounds. */
  upstreamCalls: UpstreamCalls;
  /** Share of one core each process was busy while this side was loaded; null where it cannot be read. */
  serverBusy: number | null;
  upstreamBusy: number | null;
  loadGeneratorBusy: number | null;
}

const ownCpu: Watched = {
  cpuSeconds: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  },
};

class Tally {
  requests = 0;
  seconds = 0;
  calls: UpstreamCalls = { total: 0, routes: {} };
  latenciesMs: number[] = [];
  roundRates: number[] = [];
  cpu: Record<'server' | 'upstream' | 'load', number | null> = { server: 0, upstream: 0, load: 0 };

  addCpu(which: 'server' | 'upstream' | 'load', before: number | null, after: number | null): void {
    const sum = this.cpu[which];
    this.cpu[which] = sum === null || before === null || after === null ? null : sum + after - before;
  }

  addCalls(calls: UpstreamCalls): void {
    this.calls.total += calls.total;
    for (const route of routeTemplates) {
      const count = calls.routes[route];
      if (count !== undefined) this.calls.routes[route] = (this.calls.routes[route] ?? 0) + count;
    }
  }

  figures(): SideFigures {
    const sorted = [...this.latenciesMs].sort((a, b) => a - b);
    const busy = (cpuSeconds: number | null) => (cpuSeconds === null || this.seconds === 0 ? null : cpuSeconds / this.seconds);
    return {
      requestsPerSecond: this.requests / this.seconds,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      roundRates: this.roundRates,
      // Requests in flight when a slice ends call upstream but are not counted: a slight overcount.
      upstreamCallsPerRequest: this.calls.total / Math.max(1, this.requests),
      upstreamCalls: this.calls,
      serverBusy: busy(this.cpu.server),
      upstreamBusy: busy(this.cpu.upstream),
      loadGeneratorBusy: busy(this.cpu.load),
    };
  }
}

/**
 * Waits until upstream has seen no call for a moment. A load run ends with requests in flight,
 * and the server still finishes them: their upstream calls belong to this side, not the next.
 */
async function settle(upstream: EmulatorProcess): Promise<UpstreamCalls> {
  let last = await upstream.admin.stats();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const now = await upstream.admin.stats();
    if (now.total === last.total) return now;
    last = now;
  }
}

async function slice(context: BenchContext, upstream: EmulatorProcess, side: Side, seconds: number, tally: Tally): Promise<void> {
  await settle(upstream);
  await upstream.admin.resetStats();
  const watched = { server: side.server, upstream, load: ownCpu } as const;
  const before = { server: watched.server.cpuSeconds(), upstream: watched.upstream.cpuSeconds(), load: watched.load.cpuSeconds() };
  const run = await load(side.target, { connections: context.connections, durationSeconds: seconds });
  for (const which of ['server', 'upstream', 'load'] as const) tally.addCpu(which, before[which], watched[which].cpuSeconds());
  tally.addCalls(await settle(upstream));
  tally.requests += run.requests;
  tally.seconds += run.seconds;
  tally.latenciesMs.push(...run.latenciesMs);
  tally.roundRates.push(run.requests / run.seconds);
}

export async function compareUnderLoad(context: BenchContext, upstream: EmulatorProcess, sides: readonly Side[]): Promise<SideFigures[]> {
  const { connections, warmupSeconds, durationSeconds, rounds } = context;
  for (const side of sides) {
    context.progress(`${side.label}: ${warmupSeconds} s warm-up at ${connections} connections`);
    if (warmupSeconds > 0) await load(side.target, { connections, durationSeconds: warmupSeconds });
  }
  const runs = sides.map((side) => ({ side, tally: new Tally() }));
  const seconds = durationSeconds / rounds;
  context.progress(`${rounds} rounds of ${seconds.toFixed(1)} s per side, ${connections} connections`);
  for (let round = 0; round < rounds; round++) {
    for (const { side, tally } of round % 2 === 0 ? runs : [...runs].reverse()) {
      await slice(context, upstream, side, seconds, tally);
    }
  }
  return runs.map(({ tally }) => tally.figures());
}

/** `a / b` as a ratio for a table; two digits are as many as noisy machines allow. */
export function ratio(a: number, b: number): string {
  return b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`;
}

/** A share of one core as a percentage, `n/a` where it could not be read. */
export function percent(share: number | null): string {
  return share === null ? 'n/a' : `${(share * 100).toFixed(0)}%`;
}

export interface CountedRequest {
  body: string;
  ms: number;
  /** The upstream calls this request caused, and nothing else (no load runs meanwhile). */
  calls: UpstreamCalls;
}

/** One request outside any load run: its answer, its time, and the upstream calls it cost. */
export async function countedRequest(upstream: EmulatorProcess, request: HttpRequest): Promise<CountedRequest> {
  await upstream.admin.resetStats();
  const started = performance.now();
  const body = await sendOnce(request);
  const ms = performance.now() - started;
  return { body, ms, calls: await upstream.admin.stats() };
}

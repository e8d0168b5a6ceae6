import { describeCalls, type EmulatorProcess, type UpstreamCalls } from './emulator-process.ts';
import type { HttpRequest } from './load.ts';
import { compareUnderLoad, countedRequest, percent, ratio, type SideFigures } from './measure.ts';
import type { ServerProcess } from './processes.ts';
import type { BenchContext, Row } from './scenario.ts';

/**
 * The table of scenarios that compare whole servers on one query (`ledger-day`, `mesh`): each
 * side's first two requests, its figures under load and its memory, one column per side, and
 * the ratios of the pairs compared.
 */

/** What one side answered and cost before the load: its first and second request. */
export interface FirstTwo {
  cold: UpstreamCalls;
  warm: UpstreamCalls;
  /** The second answer; every timed answer must equal it. */
  body: string;
}

export interface ComparedSide {
  label: string;
  first: FirstTwo;
  loaded: SideFigures;
  /** Resident memory of the server's process after its load. */
  rssBytes: number | null;
}

/** The first and the second request of a fresh process, each with the upstream calls it caused. */
export async function firstTwo(emulator: EmulatorProcess, request: HttpRequest): Promise<FirstTwo> {
  const cold = await countedRequest(emulator, request);
  const warm = await countedRequest(emulator, request);
  if (cold.body !== warm.body) throw new Error(`${request.url}: the second answer differs from the first`);
  return { cold: cold.calls, warm: warm.calls, body: warm.body };
}

/** A server to compare: the request it is loaded with, and the check its answer must pass first. */
export interface Side {
  label: string;
  server: ServerProcess;
  request: HttpRequest;
  /** Throws, naming `label`, when the answer does not state the reference. */
  check(label: string, body: string): void;
}

/**
 * Each side's first two requests (its answer checked), then every side loaded in alternating
 * slices with every timed answer equal to its first, then the table with the ratios of `pairs`.
 */
export async function measureSides(context: BenchContext, emulator: EmulatorProcess, sides: readonly Side[], pairs: ReadonlyArray<readonly [string, string]>): Promise<Row[]> {
  const firsts: FirstTwo[] = [];
  for (const { label, request, check } of sides) {
    const first = await firstTwo(emulator, request);
    check(label, first.body);
    firsts.push(first);
  }
  const loaded = await compareUnderLoad(
    context,
    emulator,
    sides.map(({ label, server, request }, index) => ({ label, server, target: { ...request, expectBody: firsts[index]?.body ?? '' } })),
  );
  return sideRows(
    sides.map(({ label, server }, index) => {
      const first = firsts[index];
      const figures = loaded[index];
      if (first === undefined || figures === undefined) throw new Error(`${label} was not measured`);
      return { label, first, loaded: figures, rssBytes: server.rssBytes() };
    }),
    pairs,
  );
}

/** One column per side, then the ratios of each pair compared (`[a, b]` gives a/b). */
export function sideRows(sides: readonly ComparedSide[], pairs: ReadonlyArray<readonly [string, string]>): Row[] {
  const sideNamed = (label: string) => {
    const side = sides.find((candidate) => candidate.label === label);
    if (side === undefined) throw new Error(`no side ${label}`);
    return side;
  };
  const compared = pairs.map(([a, b]) => ({ name: `${a}/${b}`, a: sideNamed(a), b: sideNamed(b) }));
  const columns = (pick: (side: ComparedSide) => string): Row => Object.fromEntries(sides.map((side) => [side.label, pick(side)]));
  const both = (measure: string, pick: (side: ComparedSide) => string): Row => ({ measure, ...columns(pick) });
  const ratios = (measure: string, pick: (side: SideFigures) => number, digits: number): Row => ({
    ...both(measure, (side) => pick(side.loaded).toFixed(digits)),
    ...Object.fromEntries(compared.map(({ name, a, b }) => [name, ratio(pick(a.loaded), pick(b.loaded))])),
  });
  const roundRatios = (a: ComparedSide, b: ComparedSide) => a.loaded.roundRates.map((rate, round) => ratio(rate, b.loaded.roundRates[round] ?? 0)).join(' ');
  const mib = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
  return [
    both('upstream calls, cold (first request, fresh process)', (side) => describeCalls(side.first.cold)),
    both('upstream calls, warm (second request, same process)', (side) => describeCalls(side.first.warm)),
    both('upstream calls under load, all rounds', (side) => describeCalls(side.loaded.upstreamCalls)),
    both('upstream calls per request under load', (side) => side.loaded.upstreamCallsPerRequest.toFixed(2)),
    both('answer size', (side) => `${(Buffer.byteLength(side.first.body) / 1024).toFixed(0)} KiB`),
    ratios('requests/s', (side) => side.requestsPerSecond, 1),
    {
      ...both('requests/s per round', (side) => side.loaded.roundRates.map((rate) => rate.toFixed(0)).join(' ')),
      ...Object.fromEntries(compared.map(({ name, a, b }) => [name, roundRatios(a, b)])),
    },
    ratios('latency p50 (ms)', (side) => side.p50Ms, 0),
    ratios('latency p99 (ms)', (side) => side.p99Ms, 0),
    both('CPU busy under load: server under test', (side) => percent(side.loaded.serverBusy)),
    // On a shared machine a server may be starved of its core: its CPU time per answer still compares.
    ratios('CPU ms per request: server under test', (side) => ((side.serverBusy ?? Number.NaN) * 1000) / side.requestsPerSecond, 1),
    both('CPU busy under load: emulator', (side) => percent(side.loaded.upstreamBusy)),
    both('CPU busy under load: load generator', (side) => percent(side.loaded.loadGeneratorBusy)),
    both('RSS of the server after its load', (side) => mib(side.rssBytes)),
  ];
}

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorProcess } from '../lib/emulator-process.ts';
import { graphqlRequest, startGatewayProcess } from '../lib/gateway-process.ts';
import { ledgerDayEmulator, startLedgerDayEmulator } from '../lib/ledger-day/pick-day.ts';
import { checkAnswer, ledgerDayQuery } from '../lib/ledger-day/query.ts';
import { load, sendOnce, type HttpRequest, type LoadRun } from '../lib/load.ts';
import type { ServerProcess } from '../lib/processes.ts';
import { startComparator } from '../lib/ledger-day/servers.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';

export const name = 'memory';
export const description =
  'Resident memory of the compiled gateway (upstream: an emulator in its own process): idle, with 64 ledger-day requests in flight, and a minute after the load; beside it the Yoga + graphql-jit floor under the same load';

/** The goals of issue 12. */
const goals = { idleBytes: 120 * 2 ** 20, inFlightPerAnswer: 3, settledShare: 0.1 };
const inFlight = 64;
const sampleEveryMs = 50;

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** `dist/` as `npm start` compiles it, before the gateway starts (so its start is not the compiler's). */
function compile(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck'], { cwd: repositoryRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`tsc failed (${build.signal ?? `exit ${build.status}`})`);
}

function rssOf(server: ServerProcess): number {
  const rss = server.rssBytes();
  if (rss === null) throw new Error('the memory scenario needs /proc to read resident memory');
  return rss;
}

/** The highest resident memory seen while `during` runs, sampled every `sampleEveryMs`. */
async function peakDuring<T>(server: ServerProcess, during: Promise<T>): Promise<{ peak: number; result: T }> {
  let peak = rssOf(server);
  const timer = setInterval(() => {
    peak = Math.max(peak, server.rssBytes() ?? 0);
  }, sampleEveryMs);
  try {
    const result = await during;
    return { peak, result };
  } finally {
    clearInterval(timer);
  }
}

/** Resident memory after it stopped moving by more than 1 % over a few seconds (or after `maxSeconds`). */
async function settledRss(server: ServerProcess, maxSeconds: number): Promise<number> {
  let previous = rssOf(server);
  for (let waited = 0; waited < maxSeconds; waited += 2) {
    await sleep(2_000);
    const now = rssOf(server);
    if (Math.abs(now - previous) <= previous * 0.01) return now;
    previous = now;
  }
  return previous;
}

interface Measured {
  atStart: number;
  idle: number;
  answerBytes: number;
  peak: number;
  run: LoadRun;
}

/** One server's memory: after start, idle once it answered the day twice, and its peak under `inFlight` connections. */
async function measure(context: BenchContext, server: ServerProcess, request: HttpRequest, check: (body: string) => void): Promise<Measured> {
  const atStart = await settledRss(server, 10);
  const body = await sendOnce(request);
  check(body);
  const answerBytes = Buffer.byteLength(body);
  // The answer as the load will see it (warm), then memory once the first requests' garbage is gone.
  const warm = await sendOnce(request);
  const idle = await settledRss(server, 20);
  context.progress(`${server.label}: ${inFlight} connections for ${context.durationSeconds} s`);
  const { peak, result } = await peakDuring(server, load({ ...request, expectBody: warm }, { connections: inFlight, durationSeconds: context.durationSeconds, timeoutSeconds: 120 }));
  return { atStart, idle, answerBytes, peak, run: result };
}

const inFlightPerRequest = (measured: Measured) => (measured.peak - measured.idle) / inFlight;

export async function run(context: BenchContext): Promise<Row[]> {
  const settleSeconds = Number(process.env.BENCH_MEMORY_SETTLE_SECONDS ?? 60);
  let emulator: EmulatorProcess | undefined;
  const servers: ServerProcess[] = [];
  try {
    context.progress('compiling src/ into dist/');
    compile();
    context.progress('starting the emulator');
    const started = await startLedgerDayEmulator(context.cores.upstream);
    emulator = started.emulator;
    const { partner, day, expected } = started;
    const variables = { ledgerId: day.ledgerId, date: day.date };
    context.progress(`starting the compiled gateway; ledger ${day.ledgerId}, ${day.date}`);
    const gateway = await startGatewayProcess({ upstreamUrl: emulator.url, ...partner, cpu: context.cores.server, compiled: true });
    servers.push(gateway);
    const measured = await measure(context, gateway, graphqlRequest(gateway.url, ledgerDayQuery, variables), (body) => checkAnswer('gateway', body, expected));
    context.progress(`waiting ${settleSeconds} s after the load`);
    await sleep(settleSeconds * 1000);
    const after = rssOf(gateway);
    await gateway.stop();

    // The same load on the least a server of this stack holds: what its own memory does under it.
    const floor = await startComparator('yoga', emulator.url, partner, context.cores.server);
    servers.push(floor);
    const floorMeasured = await measure(context, floor, graphqlRequest(floor.url, ledgerDayQuery, variables), (body) => checkAnswer('floor', body, expected));

    const perRequest = inFlightPerRequest(measured);
    const floorPerRequest = inFlightPerRequest(floorMeasured);
    context.note(`day: ledger ${day.ledgerId}, ${day.date}: ${expected.ledger.sales.totalCount} sales; emulator seed "${ledgerDayEmulator.seed}", clock ${ledgerDayEmulator.now}`);
    context.note('gateway: dist/main.js through scripts/start.mjs (npm start), plain Node, the in-memory cache, the answer cache off (every request executes)');
    context.note(
      'floor: bench/lib/ledger-day/yoga-floor-server.ts (the ledger-day floor: Yoga and graphql-jit over the joined day in memory, no plugins), under the benchmark\'s TypeScript loader, ' +
        'so its RSS at start and idle are not comparable with the compiled gateway\'s; what it adds under the load is',
    );
    context.note(`idle: after start, then after two requests of the day and the memory settled; peak: the highest RSS sampled every ${sampleEveryMs} ms under load`);
    context.note(`in flight per request: (peak - idle) / ${inFlight}; after: RSS ${settleSeconds} s after the load ended`);
    const both = (pick: (m: Measured) => string) => ({ gateway: pick(measured), floor: pick(floorMeasured) });
    return [
      { measure: 'RSS after start', ...both((m) => mib(m.atStart)), goal: '' },
      { measure: 'RSS idle (day read, settled)', ...both((m) => mib(m.idle)), goal: `<= ${mib(goals.idleBytes)}`, ratio: `${(measured.idle / goals.idleBytes).toFixed(2)}x of goal` },
      { measure: 'answer size', ...both((m) => `${(m.answerBytes / 1024).toFixed(0)} KiB`), goal: '' },
      { measure: `requests under load (${inFlight} connections)`, ...both((m) => `${m.run.requests} in ${m.run.seconds} s`), goal: '' },
      { measure: 'RSS peak under load', ...both((m) => mib(m.peak)), goal: '' },
      {
        measure: 'in flight per request',
        gateway: mib(perRequest),
        floor: mib(floorPerRequest),
        goal: `<= ${goals.inFlightPerAnswer}x answer`,
        ratio: `${(perRequest / measured.answerBytes).toFixed(1)}x answer (floor ${(floorPerRequest / floorMeasured.answerBytes).toFixed(1)}x)`,
      },
      {
        measure: `RSS ${settleSeconds} s after the load`,
        gateway: mib(after),
        floor: '',
        goal: `<= idle + ${goals.settledShare * 100}%`,
        ratio: `${((after / measured.idle - 1) * 100).toFixed(1)}% over idle`,
      },
    ];
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await emulator?.stop();
  }
}

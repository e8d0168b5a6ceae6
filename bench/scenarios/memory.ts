import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorProcess } from '../lib/emulator-process.ts';
import { graphqlRequest, startGatewayProcess } from '../lib/gateway-process.ts';
import { ledgerDayEmulator, startLedgerDayEmulator } from '../lib/ledger-day/pick-day.ts';
import { checkAnswer, ledgerDayQuery } from '../lib/ledger-day/query.ts';
import { load, sendOnce } from '../lib/load.ts';
import type { ServerProcess } from '../lib/processes.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';

export const name = 'memory';
export const description =
  'Resident memory of the compiled gateway (upstream: an emulator in its own process): idle, with 64 ledger-day requests in flight, and a minute after the load';

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

export async function run(context: BenchContext): Promise<Row[]> {
  const settleSeconds = Number(process.env.BENCH_MEMORY_SETTLE_SECONDS ?? 60);
  let emulator: EmulatorProcess | undefined;
  let gateway: ServerProcess | undefined;
  try {
    context.progress('compiling src/ into dist/');
    compile();
    context.progress('starting the emulator');
    const started = await startLedgerDayEmulator(context.cores.upstream);
    emulator = started.emulator;
    const { partner, day, expected } = started;
    context.progress(`starting the compiled gateway; ledger ${day.ledgerId}, ${day.date}`);
    gateway = await startGatewayProcess({ upstreamUrl: emulator.url, ...partner, cpu: context.cores.server, compiled: true });
    const request = graphqlRequest(gateway.url, ledgerDayQuery, { ledgerId: day.ledgerId, date: day.date });

    const atStart = await settledRss(gateway, 10);
    const body = await sendOnce(request);
    checkAnswer('gateway', body, expected);
    const answerBytes = Buffer.byteLength(body);
    // The answer as the load will see it (warm), then memory once the first requests' garbage is gone.
    const warm = await sendOnce(request);
    const idle = await settledRss(gateway, 20);

    context.progress(`${inFlight} connections for ${context.durationSeconds} s`);
    const { peak, result } = await peakDuring(gateway, load({ ...request, expectBody: warm }, { connections: inFlight, durationSeconds: context.durationSeconds, timeoutSeconds: 120 }));
    context.progress(`waiting ${settleSeconds} s after the load`);
    await sleep(settleSeconds * 1000);
    const after = rssOf(gateway);

    const perRequest = (peak - idle) / inFlight;
    context.note(`day: ledger ${day.ledgerId}, ${day.date}: ${expected.ledger.sales.totalCount} sales; emulator seed "${ledgerDayEmulator.seed}", clock ${ledgerDayEmulator.now}`);
    context.note('gateway: dist/main.js through scripts/start.mjs (npm start), plain Node, the in-memory cache, the answer cache off (every request executes)');
    context.note(`idle: after start, then after two requests of the day and the memory settled; peak: the highest RSS sampled every ${sampleEveryMs} ms under load`);
    context.note(`in flight per request: (peak - idle) / ${inFlight}; after: RSS ${settleSeconds} s after the load ended`);
    return [
      { measure: 'RSS after start', value: mib(atStart), goal: '' },
      { measure: 'RSS idle (day read, settled)', value: mib(idle), goal: `<= ${mib(goals.idleBytes)}`, ratio: `${(idle / goals.idleBytes).toFixed(2)}x of goal` },
      { measure: 'answer size', value: `${(answerBytes / 1024).toFixed(0)} KiB`, goal: '' },
      { measure: `requests under load (${inFlight} connections)`, value: `${result.requests} in ${result.seconds} s`, goal: '' },
      { measure: 'RSS peak under load', value: mib(peak), goal: '' },
      {
        measure: 'in flight per request',
        value: mib(perRequest),
        goal: `<= ${goals.inFlightPerAnswer}x answer`,
        ratio: `${(perRequest / answerBytes).toFixed(1)}x answer`,
      },
      {
        measure: `RSS ${settleSeconds} s after the load`,
        value: mib(after),
        goal: `<= idle + ${goals.settledShare * 100}%`,
        ratio: `${((after / idle - 1) * 100).toFixed(1)}% over idle`,
      },
    ];
  } finally {
    await gateway?.stop();
    await emulator?.stop();
  }
}

import type { EmulatorProcess } from '../lib/emulator-process.ts';
import { graphqlRequest, startGatewayAndBaseline } from '../lib/gateway-process.ts';
import { DirectClient } from '../lib/ledger-day/direct-client.ts';
import { ledgerDayEmulator, startLedgerDayEmulator } from '../lib/ledger-day/pick-day.ts';
import { checkAnswer, ledgerDayQuery, type LedgerDayData } from '../lib/ledger-day/query.ts';
import { percentile, type HttpRequest } from '../lib/load.ts';
import { countedRequest, ratio } from '../lib/measure.ts';
import type { ServerProcess } from '../lib/processes.ts';
import { startComparator } from '../lib/ledger-day/servers.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';

export const name = 'ledger-day-cold';
export const description =
  'The ledger-day query on dates nobody has read yet, with 10 ms of latency on every upstream call, one request at a time: the gateway against the direct client';

/** What every upstream call waits, as over a real network (the emulator's latency fault). */
const upstreamLatencyMs = 10;
/** Uncached dates each side is asked for, one request each. */
const datesMeasured = 8;
/**
 * Earlier dates each side answers first, unmeasured: "cold" is about upstream data nobody has
 * read, not about a process whose code V8 has not optimised yet. Without them the first few
 * measured answers of a fresh gateway took up to 4 times as long as the same dates after a warm-up, and it took about 16 dates to settle.
 */
const warmUpDates = 16;

interface ColdSide {
  label: string;
  requestOf(date: string): HttpRequest;
  ms: number[];
  calls: number[];
}

/**
 * Every other date back from `date`: each one's next date (where its late captures and fees
 * are) is never one measured before it, so each request finds both of its Report dates unread.
 */
function everyOtherDateBefore(date: string, count: number): string[] {
  return Array.from({ length: count }, (_, back) => new Date(Date.parse(date) - 2 * (back + 1) * 86_400_000).toISOString().slice(0, 10));
}

function splitAt<T>(items: readonly T[], index: number): [T[], T[]] {
  return [items.slice(0, index), items.slice(index)];
}

function expectedOf(expected: ReadonlyMap<string, LedgerDayData>, date: string): LedgerDayData {
  const reference = expected.get(date);
  if (reference === undefined) throw new Error(`no reference for ${date}`);
  return reference;
}

async function references(emulator: EmulatorProcess, partner: { clientId: string; clientSecret: string }, ledgerId: string, dates: readonly string[]): Promise<Map<string, LedgerDayData>> {
  const client = new DirectClient(emulator.url, partner);
  try {
    return new Map(await Promise.all(dates.map(async (date) => [date, await client.ledgerDay(ledgerId, date)] as const)));
  } finally {
    await client.close();
  }
}

export async function run(context: BenchContext): Promise<Row[]> {
  const underTest: ServerProcess[] = [];
  let emulator: EmulatorProcess | undefined;
  try {
    context.progress('starting the emulator and reading the reference of every date');
    const { emulator: started, partner, day } = await startLedgerDayEmulator(context.cores.upstream);
    emulator = started;
    // The picked day warms each side's token (and the gateway's ledger list); the dates before it are measured.
    const [dates, warmUps] = splitAt(everyOtherDateBefore(day.date, datesMeasured + warmUpDates), datesMeasured);
    const expected = await references(emulator, partner, day.ledgerId, [...dates, ...warmUps]);

    const { gateway, baseline } = await startGatewayAndBaseline({ upstreamUrl: emulator.url, ...partner, cpu: context.cores.server }, underTest);
    const direct = await startComparator('direct', emulator.url, partner, context.cores.server);
    underTest.push(direct);

    const graphqlSide = (label: string, url: string): ColdSide => ({
      label,
      requestOf: (date) => graphqlRequest(url, ledgerDayQuery, { ledgerId: day.ledgerId, date }),
      ms: [],
      calls: [],
    });
    const sides: ColdSide[] = [
      graphqlSide('gateway', gateway.url),
      ...(baseline === undefined ? [] : [graphqlSide('baseline gateway', baseline.url)]),
      { label: 'direct', requestOf: (date) => ({ url: `${direct.url}/day?ledgerId=${day.ledgerId}&date=${date}` }), ms: [], calls: [] },
    ];
    for (const side of sides) await countedRequest(emulator, side.requestOf(day.date));
    context.progress(`${warmUps.length} earlier dates per side, unmeasured, to warm each process's code`);
    for (const date of warmUps) {
      for (const side of sides) checkAnswer(`${side.label} on ${date} (warm-up)`, (await countedRequest(emulator, side.requestOf(date))).body, expectedOf(expected, date));
    }

    await emulator.admin.setFaults({ default: { latencyMs: upstreamLatencyMs } });
    context.progress(`${dates.length} uncached dates per side, ${upstreamLatencyMs} ms upstream latency, one request at a time`);
    for (const [index, date] of dates.entries()) {
      // Alternating which side goes first, so that neither always meets the machine in the same state.
      for (const side of index % 2 === 0 ? sides : [...sides].reverse()) {
        const answered = await countedRequest(emulator, side.requestOf(date));
        checkAnswer(`${side.label} on ${date}`, answered.body, expectedOf(expected, date));
        side.ms.push(answered.ms);
        side.calls.push(answered.calls.total);
      }
    }

    const p50 = (side: ColdSide) => percentile([...side.ms].sort((a, b) => a - b), 0.5);
    const directSide = sides[sides.length - 1];
    if (directSide === undefined) throw new Error('no direct side');
    const sales = dates.map((date) => expected.get(date)?.ledger.sales.totalCount ?? 0);
    context.note(`ledger ${day.ledgerId}, dates ${dates[dates.length - 1]}..${dates[0]} (${Math.min(...sales)}–${Math.max(...sales)} sales each); emulator seed "${ledgerDayEmulator.seed}", clock ${ledgerDayEmulator.now}`);
    context.note(`every upstream call answered after ${upstreamLatencyMs} ms (the emulator's latency fault); each side's token (and the gateway's ledger list) warmed on ${day.date} first, its code on ${warmUps.length} earlier dates (${warmUps[warmUps.length - 1]}..${warmUps[0]}), unmeasured`);
    context.note('every answer checked equal to the direct client\'s join of the same date, read before the latency was set');
    const column = (pick: (side: ColdSide) => string) => Object.fromEntries(sides.map((side) => [side.label, pick(side)]));
    const versusDirect = (pick: (side: ColdSide) => number) =>
      Object.fromEntries(sides.slice(0, -1).map((side) => [`${side.label}/direct`, ratio(pick(side), pick(directSide))]));
    const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
    return [
      { measure: 'latency p50 (ms)', ...column((side) => p50(side).toFixed(0)), ...versusDirect(p50) },
      { measure: 'latency max (ms)', ...column((side) => Math.max(...side.ms).toFixed(0)), ...versusDirect((side) => Math.max(...side.ms)) },
      { measure: 'latency per date (ms)', ...column((side) => side.ms.map((ms) => ms.toFixed(0)).join(' ')) },
      { measure: 'upstream calls per request', ...column((side) => mean(side.calls).toFixed(2)) },
    ];
  } finally {
    await Promise.all(underTest.map((server) => server.stop()));
    await emulator?.stop();
  }
}

import { describeCalls, type EmulatorProcess, type UpstreamCalls } from '../lib/emulator-process.ts';
import { graphqlRequest, startGatewayAndBaseline, startGatewayProcess } from '../lib/gateway-process.ts';
import { ledgerDayEmulator, startLedgerDayEmulator, type PickedDay } from '../lib/ledger-day/pick-day.ts';
import { checkAnswer, ledgerDayQuery, type LedgerDayData } from '../lib/ledger-day/query.ts';
import type { HttpRequest } from '../lib/load.ts';
import { compareUnderLoad, countedRequest, percent, ratio, type SideFigures } from '../lib/measure.ts';
import type { ServerProcess } from '../lib/processes.ts';
import { startComparator } from '../lib/ledger-day/servers.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';

export const name = 'ledger-day';
export const description =
  'One ledger day (~200 sales with order lines, captures and fees) through the gateway, against the same day fetched by an optimal hand-written REST client';

const { seed, now } = ledgerDayEmulator;

const answerCacheLabel = 'gateway (answer cache)';

/** What one side answered and cost before the load: its first and second request. */
interface FirstTwo {
  cold: UpstreamCalls;
  warm: UpstreamCalls;
  /** The second answer; every timed answer must equal it. */
  body: string;
}

interface Side {
  label: string;
  first: FirstTwo;
  loaded: SideFigures;
  /** Resident memory of the server's process after its load. */
  rssBytes: number | null;
}

/** The first and the second request of a fresh process, each with the upstream calls it caused. */
async function firstTwo(emulator: EmulatorProcess, request: HttpRequest): Promise<FirstTwo> {
  const cold = await countedRequest(emulator, request);
  const warm = await countedRequest(emulator, request);
  if (cold.body !== warm.body) throw new Error(`${request.url}: the second answer differs from the first`);
  return { cold: cold.calls, warm: warm.calls, body: warm.body };
}

/** The architecture's cold budget: a token, the Sales pages, and two dates on each account. */
function coldBudget(sales: number): number {
  return 1 + Math.max(1, Math.ceil(sales / 1000)) + 2 + 2;
}

function describeDay(day: PickedDay, data: LedgerDayData): string {
  const sales = data.ledger.sales.edges.map((edge) => edge.node);
  const sum = (pick: (sale: (typeof sales)[number]) => number) => sales.reduce((total, sale) => total + pick(sale), 0);
  return (
    `day: ledger ${day.ledgerId} (${day.currency}), ${day.date}: ${sales.length} sales, ` +
    `${sum((sale) => (sale.orderLines.length > 0 ? 1 : 0))} with order lines (${sum((sale) => sale.orderLines.length)} lines), ` +
    `${sum((sale) => sale.captures.length)} funds and ${sum((sale) => sale.fees.length)} fees entries joined; ` +
    `emulator seed "${seed}", clock ${now}`
  );
}

/** One column per side, then the ratios of each pair compared (`[a, b]` gives a/b). */
function rows(sides: readonly Side[], pairs: ReadonlyArray<readonly [string, string]>): Row[] {
  const sideNamed = (label: string) => {
    const side = sides.find((candidate) => candidate.label === label);
    if (side === undefined) throw new Error(`no side ${label}`);
    return side;
  };
  const compared = pairs.map(([a, b]) => ({ name: `${a}/${b}`, a: sideNamed(a), b: sideNamed(b) }));
  const columns = (pick: (side: Side) => string): Row => Object.fromEntries(sides.map((side) => [side.label, pick(side)]));
  const both = (measure: string, pick: (side: Side) => string): Row => ({ measure, ...columns(pick) });
  const ratios = (measure: string, pick: (side: SideFigures) => number, digits: number): Row => ({
    ...both(measure, (side) => pick(side.loaded).toFixed(digits)),
    ...Object.fromEntries(compared.map(({ name, a, b }) => [name, ratio(pick(a.loaded), pick(b.loaded))])),
  });
  const roundRatios = (a: Side, b: Side) => a.loaded.roundRates.map((rate, round) => ratio(rate, b.loaded.roundRates[round] ?? 0)).join(' ');
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

export async function run(context: BenchContext): Promise<Row[]> {
  // Servers under test stop before the emulator, so the requests they still finish do not fail.
  const underTest: ServerProcess[] = [];
  let emulator: EmulatorProcess | undefined;
  try {
    context.progress('starting the emulator');
    const started = await startLedgerDayEmulator(context.cores.upstream);
    emulator = started.emulator;
    const { partner, day, expected } = started;
    context.progress(`ledger ${day.ledgerId}, ${day.date}: ${expected.ledger.sales.totalCount} sales; starting the gateway and the direct client`);

    const { gateway, baseline } = await startGatewayAndBaseline({ upstreamUrl: emulator.url, ...partner, cpu: context.cores.server }, underTest);
    const cached = await startGatewayProcess({ upstreamUrl: emulator.url, ...partner, cpu: context.cores.server, label: 'gateway (answer cache)', env: { ANSWER_CACHE: 'true' } });
    underTest.push(cached);
    const direct = await startComparator('direct', emulator.url, partner, context.cores.server);
    underTest.push(direct);
    const lean = await startComparator('lean', emulator.url, partner, context.cores.server);
    underTest.push(lean);

    const variables = { ledgerId: day.ledgerId, date: day.date };
    const servers: Array<{ label: string; server: ServerProcess; request: HttpRequest }> = [
      { label: 'gateway', server: gateway, request: graphqlRequest(gateway.url, ledgerDayQuery, variables) },
      { label: answerCacheLabel, server: cached, request: graphqlRequest(cached.url, ledgerDayQuery, variables) },
      ...(baseline === undefined ? [] : [{ label: 'baseline gateway', server: baseline, request: graphqlRequest(baseline.url, ledgerDayQuery, variables) }]),
      { label: 'lean graphql-js', server: lean, request: graphqlRequest(lean.url, ledgerDayQuery, variables) },
      { label: 'direct', server: direct, request: { url: `${direct.url}/day?ledgerId=${day.ledgerId}&date=${day.date}` } },
    ];
    const firsts: FirstTwo[] = [];
    for (const { label, request } of servers) {
      const first = await firstTwo(emulator, request);
      checkAnswer(label, first.body, expected);
      firsts.push(first);
    }

    const loaded = await compareUnderLoad(
      context,
      emulator,
      servers.map(({ label, server, request }, index) => ({ label, server, target: { ...request, expectBody: firsts[index]?.body ?? '' } })),
    );

    context.note(describeDay(day, expected));
    context.note(
      `cold budget of the architecture: ${coldBudget(expected.ledger.sales.totalCount)} calls (token, sales pages, 2 funds and 2 fees dates) ` +
        'plus the ledger list of the grant check; warm: 0 once every date is closed and cached',
    );
    context.note('every answer checked equal to a reference join before timing, and every timed answer byte for byte');
    context.note(
      `${answerCacheLabel}: the same gateway with ANSWER_CACHE=true (the gateway row runs with it off): its first request executes, the answer is kept by the second at the latest ` +
        '(the Sales date is final once its Report date was read closed), every timed request is answered from it without executing',
    );
    context.note('gateway: src/main.ts with the in-memory cache (no REDIS_URL); direct: bench/lib/ledger-day/direct-client.ts behind node:http');
    context.note('lean graphql-js: bench/lib/ledger-day/lean-server.ts, graphql-js execute over the joined day in memory (its upstream calls are its first read)');
    if (baseline !== undefined) context.note('baseline gateway: src/main.ts of the checkout in BENCH_BASELINE, loaded in the same rounds');
    const pairs: Array<[string, string]> = [
      ['gateway', 'direct'],
      ['gateway', 'lean graphql-js'],
      [answerCacheLabel, 'direct'],
      ...(baseline === undefined ? [] : ([['gateway', 'baseline gateway'], ['baseline gateway', 'direct']] as Array<[string, string]>)),
    ];
    return rows(
      servers.map(({ label, server }, index) => {
        const first = firsts[index];
        const figures = loaded[index];
        if (first === undefined || figures === undefined) throw new Error(`${label} was not measured`);
        return { label, first, loaded: figures, rssBytes: server.rssBytes() };
      }),
      pairs,
    );
  } finally {
    await Promise.all(underTest.map((server) => server.stop()));
    await emulator?.stop();
  }
}

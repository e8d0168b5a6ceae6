import { describeCalls, type EmulatorProcess, type UpstreamCalls } from '../lib/emulator-process.ts';
import { graphqlRequest, startGatewayProcess } from '../lib/gateway-process.ts';
import { ledgerDayEmulator, startLedgerDayEmulator, type PickedDay } from '../lib/ledger-day/pick-day.ts';
import { checkAnswer, ledgerDayQuery, type LedgerDayData } from '../lib/ledger-day/query.ts';
import type { HttpRequest } from '../lib/load.ts';
import { compareUnderLoad, countedRequest, percent, ratio, type SideFigures } from '../lib/measure.ts';
import { ServerProcess } from '../lib/processes.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';

export const name = 'ledger-day';
export const description =
  'One ledger day (~200 sales with order lines, captures and fees) through the gateway, against the same day fetched by an optimal hand-written REST client';

const { seed, now } = ledgerDayEmulator;

/** What one side answered and cost before the load: its first and second request. */
interface FirstTwo {
  cold: UpstreamCalls;
  warm: UpstreamCalls;
  /** The second answer; every timed answer must equal it. */
  body: string;
}

interface Side {
  first: FirstTwo;
  loaded: SideFigures;
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

function rows(gateway: Side, direct: Side): Row[] {
  const both = (measure: string, pick: (side: Side) => string): Row => ({ measure, gateway: pick(gateway), direct: pick(direct) });
  const compared = (measure: string, pick: (side: SideFigures) => number, digits: number): Row => ({
    ...both(measure, (side) => pick(side.loaded).toFixed(digits)),
    'gateway/direct': ratio(pick(gateway.loaded), pick(direct.loaded)),
  });
  const roundRatios = gateway.loaded.roundRates.map((rate, round) => ratio(rate, direct.loaded.roundRates[round] ?? 0));
  return [
    both('upstream calls, cold (first request, fresh process)', (side) => describeCalls(side.first.cold)),
    both('upstream calls, warm (second request, same process)', (side) => describeCalls(side.first.warm)),
    both('upstream calls under load, all rounds', (side) => describeCalls(side.loaded.upstreamCalls)),
    both('upstream calls per request under load', (side) => side.loaded.upstreamCallsPerRequest.toFixed(2)),
    both('answer size', (side) => `${(Buffer.byteLength(side.first.body) / 1024).toFixed(0)} KiB`),
    compared('requests/s', (side) => side.requestsPerSecond, 1),
    { ...both('requests/s per round', (side) => side.loaded.roundRates.map((rate) => rate.toFixed(0)).join(' ')), 'gateway/direct': roundRatios.join(' ') },
    compared('latency p50 (ms)', (side) => side.p50Ms, 0),
    compared('latency p99 (ms)', (side) => side.p99Ms, 0),
    both('CPU busy under load: server under test', (side) => percent(side.loaded.serverBusy)),
    both('CPU busy under load: emulator', (side) => percent(side.loaded.upstreamBusy)),
    both('CPU busy under load: load generator', (side) => percent(side.loaded.loadGeneratorBusy)),
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

    const gateway = await startGatewayProcess({ upstreamUrl: emulator.url, ...partner, cpu: context.cores.server });
    underTest.push(gateway);
    const direct = await ServerProcess.start({
      label: 'direct',
      entry: 'bench/lib/ledger-day/direct-server.ts',
      env: { DIRECT_UPSTREAM_URL: emulator.url, DIRECT_CLIENT_ID: partner.clientId, DIRECT_CLIENT_SECRET: partner.clientSecret },
      cpu: context.cores.server,
      listening: /direct client on (http:\/\/\S+)/,
    });
    underTest.push(direct);

    const requests = {
      gateway: graphqlRequest(gateway.url, ledgerDayQuery, { ledgerId: day.ledgerId, date: day.date }),
      direct: { url: `${direct.url}/day?ledgerId=${day.ledgerId}&date=${day.date}` },
    } satisfies Record<string, HttpRequest>;
    const first = { gateway: await firstTwo(emulator, requests.gateway), direct: await firstTwo(emulator, requests.direct) };
    checkAnswer('the gateway', first.gateway.body, expected);
    checkAnswer('the direct client', first.direct.body, expected);

    const [viaGateway, viaDirect] = await compareUnderLoad(context, emulator, [
      { label: 'gateway', server: gateway, target: { ...requests.gateway, expectBody: first.gateway.body } },
      { label: 'direct client', server: direct, target: { ...requests.direct, expectBody: first.direct.body } },
    ]);
    if (viaGateway === undefined || viaDirect === undefined) throw new Error('both sides must be measured');

    context.note(describeDay(day, expected));
    context.note(
      `cold budget of the architecture: ${coldBudget(expected.ledger.sales.totalCount)} calls (token, sales pages, 2 funds and 2 fees dates) ` +
        'plus the ledger list of the grant check; warm: 0 once every date is closed and cached',
    );
    context.note('both answers checked equal to a reference join before timing, and every timed answer byte for byte');
    context.note('gateway: src/main.ts with the in-memory cache (no REDIS_URL); direct: bench/lib/ledger-day/direct-client.ts behind node:http');
    return rows(
      { first: first.gateway, loaded: viaGateway },
      { first: first.direct, loaded: viaDirect },
    );
  } finally {
    await Promise.all(underTest.map((server) => server.stop()));
    await emulator?.stop();
  }
}

import { isDeepStrictEqual } from 'node:util';
import { describeCalls, startEmulatorProcess, type EmulatorProcess, type UpstreamCalls } from '../lib/emulator-process.ts';
import { startGatewayProcess } from '../lib/gateway-process.ts';
import { DirectClient } from '../lib/ledger-day/direct-client.ts';
import { pickDay } from '../lib/ledger-day/pick-day.ts';
import { ledgerDayQuery, type LedgerDayData } from '../lib/ledger-day/query.ts';
import { sendOnce, type HttpRequest } from '../lib/load.ts';
import { compareUnderLoad, percent, ratio, type SideFigures } from '../lib/measure.ts';
import { ServerProcess } from '../lib/processes.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';

export const name = 'ledger-day';
export const description =
  'One ledger day (~200 sales with order lines, captures and fees) through the gateway, against the same day fetched by an optimal hand-written REST client';

const seed = 'demo';
/** A fixed clock: the same seed and clock give the same day, byte for byte, on every machine. */
const now = '2026-06-10T12:00:00Z';

const routeNames: Record<string, string> = {
  'POST /miami/v1/token': 'token',
  'GET /settlement/v1/ledgers': 'ledger list',
  'GET /sales/report/v1/ledgers/{ledgerId}/dates/{ledgerDate}': 'sales date',
  'GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}': 'report date',
};

interface FirstTwo {
  cold: UpstreamCalls;
  warm: UpstreamCalls;
  /** The second answer; every later answer must equal it. */
  body: string;
}

/** The first and the second request of a fresh process, each with the upstream calls it caused. */
async function firstTwo(emulator: EmulatorProcess, request: HttpRequest): Promise<FirstTwo> {
  await emulator.resetStats();
  const coldBody = await sendOnce(request);
  const cold = await emulator.stats();
  await emulator.resetStats();
  const body = await sendOnce(request);
  const warm = await emulator.stats();
  if (coldBody !== body) throw new Error(`${request.url}: the second answer differs from the first`);
  return { cold, warm, body };
}

/** Both answers must be exactly the expected data, or the comparison means nothing. */
function checkAnswer(label: string, body: string, expected: LedgerDayData): void {
  const answer: unknown = JSON.parse(body);
  if (!isDeepStrictEqual(answer, { data: expected })) {
    throw new Error(`${label} answered other data than the reference join:\n${body.slice(0, 1000)}`);
  }
}

/** The architecture's cold budget: a token, the Sales pages, and two dates on each account. */
function coldBudget(sales: number): number {
  return 1 + Math.max(1, Math.ceil(sales / 1000)) + 2 + 2;
}

export async function run(context: BenchContext): Promise<Row[]> {
  // Servers under test stop before the emulator, so requests they still finish do not fail.
  const underTest: ServerProcess[] = [];
  let emulator: EmulatorProcess | undefined;
  try {
    context.progress('starting the emulator');
    emulator = await startEmulatorProcess({ seed, now, cpu: context.cores.upstream });
    const [partner] = await emulator.partners();
    if (partner === undefined) throw new Error('the emulator has no demo partner');

    const reference = new DirectClient(emulator.url, partner);
    const day = await pickDay(reference, partner, await emulator.ledgers(), now);
    const expected = await reference.ledgerDay(day.ledgerId, day.date);
    await reference.close();
    const sales = expected.ledger.sales.edges.map((edge) => edge.node);

    context.progress(`ledger ${day.ledgerId}, ${day.date}: ${sales.length} sales; starting the gateway and the direct client`);
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

    const gatewayRequest: HttpRequest = {
      url: gateway.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: ledgerDayQuery, variables: { ledgerId: day.ledgerId, date: day.date } }),
    };
    const directRequest: HttpRequest = { url: `${direct.url}/day?ledgerId=${day.ledgerId}&date=${day.date}` };
    const viaGateway = await firstTwo(emulator, gatewayRequest);
    const viaDirect = await firstTwo(emulator, directRequest);
    checkAnswer('the gateway', viaGateway.body, expected);
    checkAnswer('the direct client', viaDirect.body, expected);

    const [viaGatewayLoaded, viaDirectLoaded] = await compareUnderLoad(context, emulator, [
      { label: 'gateway', server: gateway, target: { ...gatewayRequest, expectBody: viaGateway.body } },
      { label: 'direct client', server: direct, target: { ...directRequest, expectBody: viaDirect.body } },
    ]);
    if (viaGatewayLoaded === undefined || viaDirectLoaded === undefined) throw new Error('both sides are measured');
    const loaded = { gateway: viaGatewayLoaded, direct: viaDirectLoaded };

    const count = (pick: (sale: (typeof sales)[number]) => number) => sales.reduce((sum, sale) => sum + pick(sale), 0);
    context.note(
      `day: ledger ${day.ledgerId} (${day.currency}), ${day.date}: ${sales.length} sales, ${count((sale) => (sale.orderLines.length > 0 ? 1 : 0))} with ` +
        `order lines (${count((sale) => sale.orderLines.length)} lines), ${count((sale) => sale.captures.length)} funds and ` +
        `${count((sale) => sale.fees.length)} fees entries joined; emulator seed "${seed}", clock ${now}`,
    );
    context.note(`cold budget of the architecture: ${coldBudget(sales.length)} calls (token, sales pages, 2 funds and 2 fees dates) plus the ledger list of the grant check; warm: 0 once every date is closed and cached`);
    context.note('both answers checked equal to a reference join before timing, and every timed answer byte for byte');
    context.note('gateway: src/main.ts with the in-memory cache (no REDIS_URL); direct: bench/lib/ledger-day/direct-client.ts behind node:http');
    const kib = (body: string) => `${(Buffer.byteLength(body) / 1024).toFixed(0)} KiB`;
    const both = (measureName: string, pick: (side: SideFigures) => string) => ({
      measure: measureName,
      gateway: pick(loaded.gateway),
      direct: pick(loaded.direct),
    });
    return [
      { measure: 'upstream calls, cold (first request, fresh process)', gateway: describeCalls(viaGateway.cold, routeNames), direct: describeCalls(viaDirect.cold, routeNames) },
      { measure: 'upstream calls, warm (second request, same process)', gateway: describeCalls(viaGateway.warm, routeNames), direct: describeCalls(viaDirect.warm, routeNames) },
      both('upstream calls per request under load', (side) => side.upstreamCallsPerRequest.toFixed(2)),
      { measure: 'answer size', gateway: kib(viaGateway.body), direct: kib(viaDirect.body) },
      { ...both('requests/s', (side) => side.requestsPerSecond.toFixed(1)), 'gateway/direct': ratio(loaded.gateway.requestsPerSecond, loaded.direct.requestsPerSecond) },
      both('requests/s per round', (side) => side.roundRates.map((rate) => rate.toFixed(0)).join(' ')),
      { measure: 'requests/s ratio per round', 'gateway/direct': loaded.gateway.roundRates.map((rate, index) => ratio(rate, loaded.direct.roundRates[index] ?? 0)).join(' ') },
      { ...both('latency p50 (ms)', (side) => side.p50Ms.toFixed(0)), 'gateway/direct': ratio(loaded.gateway.p50Ms, loaded.direct.p50Ms) },
      { ...both('latency p99 (ms)', (side) => side.p99Ms.toFixed(0)), 'gateway/direct': ratio(loaded.gateway.p99Ms, loaded.direct.p99Ms) },
      both('CPU busy under load: server under test', (side) => percent(side.serverBusy)),
      both('CPU busy under load: emulator', (side) => percent(side.upstreamBusy)),
      both('CPU busy under load: load generator', (side) => percent(side.loadGeneratorBusy)),
    ];
  } finally {
    await Promise.all(underTest.map((server) => server.stop()));
    await emulator?.stop();
  }
}

import type { EmulatorProcess } from '../lib/emulator-process.ts';
import { graphqlRequest, startGatewayAndBaseline, startGatewayProcess } from '../lib/gateway-process.ts';
import { ledgerDayEmulator, startLedgerDayEmulator, type PickedDay } from '../lib/ledger-day/pick-day.ts';
import { checkAnswer, ledgerDayQuery, type LedgerDayData } from '../lib/ledger-day/query.ts';
import type { HttpRequest } from '../lib/load.ts';
import { compareUnderLoad } from '../lib/measure.ts';
import type { ServerProcess } from '../lib/processes.ts';
import { startComparator } from '../lib/ledger-day/servers.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';
import { firstTwo, sideRows, type FirstTwo } from '../lib/side-table.ts';

export const name = 'ledger-day';
export const description =
  'One ledger day (~200 sales with order lines, captures and fees) through the gateway, against the same day fetched by an optimal hand-written REST client';

const { seed, now } = ledgerDayEmulator;

const answerCacheLabel = 'gateway (answer cache)';

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
    return sideRows(
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

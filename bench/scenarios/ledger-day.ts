import { isDeepStrictEqual } from 'node:util';
import type { EmulatorProcess } from '../lib/emulator-process.ts';
import { graphqlRequest, startGatewayAndBaseline, startGatewayProcess } from '../lib/gateway-process.ts';
import { describeDay, startLedgerDayEmulator } from '../lib/ledger-day/pick-day.ts';
import { checkAnswer, ledgerDayQuery } from '../lib/ledger-day/query.ts';
import type { ServerProcess } from '../lib/processes.ts';
import { startComparator } from '../lib/ledger-day/servers.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';
import { measureSides, type Side } from '../lib/side-table.ts';

export const name = 'ledger-day';
export const description =
  'One ledger day (~200 sales with order lines, captures and fees) through the gateway, against the same day fetched by an optimal hand-written REST client';

const answerCacheLabel = 'gateway (answer cache)';
const yogaFloorLabel = 'Yoga + graphql-jit floor';
const fixedCostLabel = 'gateway, ledger only';

/** A document that reads nothing but the ledger list: what the gateway spends on any request, whatever it asks. */
const ledgerOnlyQuery = 'query LedgerOnly($ledgerId: String!) { ledger(id: $ledgerId) { __typename } }';

function checkLedgerOnly(label: string, body: string): void {
  if (!isDeepStrictEqual(JSON.parse(body), { data: { ledger: { __typename: 'Ledger' } } })) throw new Error(`${label} answered ${body.slice(0, 300)}`);
}

/** The architecture's cold budget: a token, the Sales pages, and two dates on each account. */
function coldBudget(sales: number): number {
  return 1 + Math.max(1, Math.ceil(sales / 1000)) + 2 + 2;
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
    const cached = await startGatewayProcess({ upstreamUrl: emulator.url, ...partner, cpu: context.cores.server, label: answerCacheLabel, env: { ANSWER_CACHE: 'true' } });
    underTest.push(cached);
    const direct = await startComparator('direct', emulator.url, partner, context.cores.server);
    underTest.push(direct);
    const lean = await startComparator('lean', emulator.url, partner, context.cores.server);
    underTest.push(lean);
    const floor = await startComparator('yoga', emulator.url, partner, context.cores.server);
    underTest.push(floor);
    // A process of its own: light requests between the gateway row's slices would change what that row measures.
    const ledgerOnly = await startGatewayProcess({ upstreamUrl: emulator.url, ...partner, cpu: context.cores.server, label: fixedCostLabel });
    underTest.push(ledgerOnly);

    const variables = { ledgerId: day.ledgerId, date: day.date };
    const check = (label: string, body: string) => checkAnswer(label, body, expected);
    const graphqlSide = (label: string, server: ServerProcess): Side => ({ label, server, request: graphqlRequest(server.url, ledgerDayQuery, variables), check });
    const sides: Side[] = [
      graphqlSide('gateway', gateway),
      graphqlSide(answerCacheLabel, cached),
      ...(baseline === undefined ? [] : [graphqlSide('baseline gateway', baseline)]),
      graphqlSide('lean graphql-js', lean),
      graphqlSide(yogaFloorLabel, floor),
      { label: fixedCostLabel, server: ledgerOnly, request: graphqlRequest(ledgerOnly.url, ledgerOnlyQuery, { ledgerId: day.ledgerId }), check: checkLedgerOnly },
      { label: 'direct', server: direct, request: { url: `${direct.url}/day?ledgerId=${day.ledgerId}&date=${day.date}` }, check },
    ];

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
    context.note(
      `${yogaFloorLabel}: bench/lib/ledger-day/yoga-floor-server.ts, the document compiled by graphql-jit and served by Yoga over the joined day in memory, ` +
        'default resolvers, none of the gateway\'s plugins: the least a gateway on this stack can spend per answer',
    );
    context.note(`${fixedCostLabel}: the same gateway in a process of its own, asked only for the ledger (\`${ledgerOnlyQuery}\`): what it spends on a request whatever the document asks`);
    if (baseline !== undefined) context.note('baseline gateway: src/main.ts of the checkout in BENCH_BASELINE, loaded in the same rounds');
    const pairs: Array<[string, string]> = [
      ['gateway', 'direct'],
      ['gateway', 'lean graphql-js'],
      ['gateway', yogaFloorLabel],
      [yogaFloorLabel, 'direct'],
      [answerCacheLabel, 'direct'],
      ...(baseline === undefined ? [] : ([['gateway', 'baseline gateway'], ['baseline gateway', 'direct']] as Array<[string, string]>)),
    ];
    return await measureSides(context, emulator, sides, pairs);
  } finally {
    await Promise.all(underTest.map((server) => server.stop()));
    await emulator?.stop();
  }
}

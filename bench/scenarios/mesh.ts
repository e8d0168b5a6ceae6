import { addDays } from '../../src/kernel/calendar.ts';
import type { EmulatorProcess } from '../lib/emulator-process.ts';
import { graphqlRequest, startGatewayProcess } from '../lib/gateway-process.ts';
import { describeDay, startLedgerDayEmulator } from '../lib/ledger-day/pick-day.ts';
import { composeSupergraph, installMesh, startMeshGateway, type Supergraph } from '../lib/mesh/mesh-gateway.ts';
import { checkGatewayFacts, checkMeshAnswer, gatewayEquivalentQuery, meshLedgerDayQuery, meshVariables } from '../lib/mesh/query.ts';
import type { ServerProcess } from '../lib/processes.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';
import { measureSides, type Side } from '../lib/side-table.ts';

export const name = 'mesh';
export const description =
  'The ledger day through the gateway against GraphQL Mesh + Hive Gateway composed from the two OpenAPI documents over the same emulator, each with and without its whole-answer cache';

const gatewayLabel = 'gateway';
const answerCacheLabel = 'gateway (answer cache)';
const meshLabel = 'Mesh';
const responseCacheLabel = 'Mesh (response cache)';

export async function run(context: BenchContext): Promise<Row[]> {
  await installMesh(context.progress);
  // Servers under test stop before the emulator, so the requests they still finish do not fail.
  const underTest: ServerProcess[] = [];
  let emulator: EmulatorProcess | undefined;
  let supergraph: Supergraph | undefined;
  try {
    context.progress('starting the emulator');
    const started = await startLedgerDayEmulator(context.cores.upstream);
    emulator = started.emulator;
    const { partner, day, expected } = started;
    context.progress(`ledger ${day.ledgerId}, ${day.date}: ${expected.ledger.sales.totalCount} sales; composing the Mesh supergraph`);
    supergraph = await composeSupergraph(emulator.url);

    const cpu = context.cores.server;
    const gateway = await startGatewayProcess({ upstreamUrl: emulator.url, ...partner, cpu });
    underTest.push(gateway);
    const cached = await startGatewayProcess({ upstreamUrl: emulator.url, ...partner, cpu, label: answerCacheLabel, env: { ANSWER_CACHE: 'true' } });
    underTest.push(cached);
    const mesh = await startMeshGateway({ upstreamUrl: emulator.url, partner, supergraph, cpu, label: meshLabel, responseCache: false });
    underTest.push(mesh);
    const meshCached = await startMeshGateway({ upstreamUrl: emulator.url, partner, supergraph, cpu, label: responseCacheLabel, responseCache: true });
    underTest.push(meshCached);

    const gatewayVariables = { ledgerId: day.ledgerId, date: day.date };
    const meshQueryVariables = meshVariables(day.ledgerId, day.date, addDays(day.date, 1));
    const gatewayCheck = (label: string, body: string) => checkGatewayFacts(label, body, expected);
    const meshCheck = (label: string, body: string) => checkMeshAnswer(label, body, expected);
    const sides: Side[] = [
      { label: gatewayLabel, server: gateway, request: graphqlRequest(gateway.url, gatewayEquivalentQuery, gatewayVariables), check: gatewayCheck },
      { label: answerCacheLabel, server: cached, request: graphqlRequest(cached.url, gatewayEquivalentQuery, gatewayVariables), check: gatewayCheck },
      { label: meshLabel, server: mesh, request: graphqlRequest(`${mesh.url}/graphql`, meshLedgerDayQuery, meshQueryVariables), check: meshCheck },
      { label: responseCacheLabel, server: meshCached, request: graphqlRequest(`${meshCached.url}/graphql`, meshLedgerDayQuery, meshQueryVariables), check: meshCheck },
    ];

    context.note(describeDay(day, expected));
    context.note(
      'Mesh: supergraph composed by @graphql-mesh/compose-cli from the emulator\'s Sales OpenAPI document (/sales/openapi.json) and the official Report API document, ' +
        'served by the @graphql-hive/gateway CLI (bench/mesh/); the join is an additional field, SalesEntry.reportEntries(ledgerId, topic, ledgerDate), ' +
        'resolved through the in-context SDK with key/argsFromKeys/valuesFromResults, so each account and date is one batched upstream call',
    );
    context.note(
      'documents: Mesh asks each sale for its funds and fees entries on D and D+1 (four aliases); the gateway asks ledger.sales with captures and fees, without the decimals Mesh cannot give; ' +
        'both answers are checked to state exactly the reference join (time as an instant: Mesh prints …:20.000Z; entry types with "-": Mesh\'s enums say capture_fee), and every timed answer byte for byte',
    );
    context.note(
      `${responseCacheLabel}: Hive Gateway's responseCaching shared by all callers (session: () => null), default TTL; ${answerCacheLabel}: ANSWER_CACHE=true, kept per caller once every date it read is closed. The other two execute every request`,
    );
    context.note(
      'Mesh limits met on the way: the official Report document\'s entryType enum lacks payout-scheduled (and interchange-adjustment, service-fee, credit-note), so reading a date\'s entries ' +
        'errors on those rows (the join returns only a sale\'s own entries, none of those types on this day); Mesh reads one page of a date (a Report date page holds 1000 entries here, so this day fits one page); ' +
        'two additional fields delegating to the same source field with the same arguments share one batch (funds and fees answered alike), hence topic as an argument',
    );
    return await measureSides(context, emulator, sides, [
      [gatewayLabel, meshLabel],
      [answerCacheLabel, responseCacheLabel],
    ]);
  } finally {
    await Promise.all(underTest.map((server) => server.stop()));
    await emulator?.stop();
    await supergraph?.remove();
  }
}

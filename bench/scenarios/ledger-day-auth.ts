import { loadConfig } from '../../src/config.ts';
import { TenantDirectory } from '../../src/tenancy/directory.ts';
import { tenantIdentifier } from '../../src/tenancy/identify.ts';
import { startDemoEmulator } from '../lib/emulator-process.ts';
import { graphqlRequest, startGatewayProcess } from '../lib/gateway-process.ts';
import { ledgerDayEmulator, referenceDay } from '../lib/ledger-day/pick-day.ts';
import { checkAnswer, ledgerDayQuery } from '../lib/ledger-day/query.ts';
import { sendOnce, type HttpRequest } from '../lib/load.ts';
import { compareUnderLoad, percent, ratio, type SideFigures } from '../lib/measure.ts';
import type { ServerProcess } from '../lib/processes.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';
import { bearer, tokenSigner, unrefusedBudgets, writeTenantsFile, type TenantsFile } from '../lib/tenants.ts';

export const name = 'ledger-day-auth';
export const description =
  'The cost of knowing the caller: the warm ledger-day query through the gateway in open mode, with an API key and with a JWT, side by side';

const { seed, now } = ledgerDayEmulator;

interface Mode {
  label: string;
  env: Record<string, string>;
  headers: Record<string, string>;
}

/** How long telling who a request is from takes, alone: the gateway's own identifier, in this process. */
async function identifyMicroseconds(modes: readonly Mode[], env: Record<string, string>): Promise<(number | null)[]> {
  const config = loadConfig({ VIPPS_BASE_URL: 'http://127.0.0.1:1', VIPPS_CLIENT_ID: 'bench', VIPPS_CLIENT_SECRET: 'bench', ...env });
  if (config.auth.tenantsFile === null) throw new Error('identifying needs the tenants file');
  const identifier = tenantIdentifier(config.auth, await TenantDirectory.load(config.auth.tenantsFile, new Set(['default'])));
  const rounds = 20_000;
  const microseconds: (number | null)[] = [];
  for (const { headers } of modes) {
    const authorization = headers.authorization ?? null;
    if (authorization === null) {
      microseconds.push(null);
      continue;
    }
    for (let warm = 0; warm < 1_000; warm++) await identifier.identify(authorization);
    const started = performance.now();
    for (let round = 0; round < rounds; round++) {
      if (!('caller' in (await identifier.identify(authorization)))) throw new Error('the bench caller was refused');
    }
    microseconds.push(((performance.now() - started) * 1000) / rounds);
  }
  return microseconds;
}

function rows(modes: readonly Mode[], figures: readonly SideFigures[], identifying: readonly (number | null)[]): Row[] {
  const [open] = figures;
  if (open === undefined) throw new Error('open mode must be measured');
  const row = (measure: string, pick: (side: SideFigures) => number, digits: number, compare = true): Row => {
    const cells: Row = { measure };
    modes.forEach((mode, index) => (cells[mode.label] = pick(figures[index]!).toFixed(digits)));
    if (compare) for (const [index, mode] of modes.entries()) if (index > 0) cells[`${mode.label}/open`] = ratio(pick(figures[index]!), pick(open));
    return cells;
  };
  const busy: Row = { measure: 'CPU busy under load: gateway' };
  const perRound: Row = { measure: 'requests/s per round' };
  const identify: Row = { measure: 'identifying the caller, alone (µs per request)' };
  modes.forEach((mode, index) => {
    busy[mode.label] = percent(figures[index]!.serverBusy);
    perRound[mode.label] = figures[index]!.roundRates.map((rate) => rate.toFixed(0)).join(' ');
    identify[mode.label] = identifying[index]?.toFixed(1) ?? '—';
  });
  return [
    identify,
    row('requests/s', (side) => side.requestsPerSecond, 1),
    perRound,
    row('latency p50 (ms)', (side) => side.p50Ms, 0),
    row('latency p99 (ms)', (side) => side.p99Ms, 0),
    row('upstream calls per request', (side) => side.upstreamCallsPerRequest, 2, false),
    busy,
  ];
}

export async function run(context: BenchContext): Promise<Row[]> {
  context.progress('starting the emulator');
  const { emulator, partner } = await startDemoEmulator({ seed, now, cpu: context.cores.upstream });
  const servers: ServerProcess[] = [];
  let tenantsFile: TenantsFile | undefined;
  try {
    const { day, expected } = await referenceDay(emulator, partner, now);

    // One portal tenant seeing every ledger: the one the API key and the JWT both name.
    const key = 'rgw_bench_portal_key_of_forty_characters_';
    tenantsFile = await writeTenantsFile([{ id: 'portal', key, ledgers: '*' }]);
    const signer = await tokenSigner();
    const tenants = { AUTH_MODE: 'tenants', TENANTS_FILE: tenantsFile.path, ...unrefusedBudgets };
    const modes: Mode[] = [
      { label: 'open', env: {}, headers: {} },
      { label: 'API key', env: tenants, headers: bearer(key) },
      { label: 'JWT', env: { ...tenants, ...signer.env }, headers: bearer(await signer.sign('portal')) },
    ];

    const sides = [];
    for (const mode of modes) {
      context.progress(`starting the gateway: ${mode.label}`);
      const server = await startGatewayProcess({ upstreamUrl: emulator.url, ...partner, cpu: context.cores.server, env: mode.env });
      servers.push(server);
      const request: HttpRequest = graphqlRequest(server.url, ledgerDayQuery, { ledgerId: day.ledgerId, date: day.date }, mode.headers);
      // The first answer is cold; the measured ones are warm, and must all be the second.
      await sendOnce(request);
      const expectBody = await sendOnce(request);
      checkAnswer(`the gateway (${mode.label})`, expectBody, expected);
      sides.push({ label: mode.label, server, target: { ...request, expectBody } });
    }
    const figures = await compareUnderLoad(context, emulator, sides);
    context.progress('identifying the callers in this process');
    const identifying = await identifyMicroseconds(modes, modes[2]!.env);

    context.note(`day: ledger ${day.ledgerId} (${day.currency}), ${day.date}: ${expected.ledger.sales.totalCount} sales; emulator seed "${seed}", clock ${now}`);
    context.note('the same warm query (every date closed and cached) through three gateways (src/main.ts, in-memory cache), loaded in alternating slices');
    context.note(
      'API key and JWT: one tenant seeing every ledger, its budgets counted (in memory) but too large to refuse; JWT: ES256, checked against AUTH_JWT_PUBLIC_KEY',
    );
    context.note('identifying alone: the gateway\'s identifier (src/tenancy/identify.ts) in the benchmark\'s process, 20,000 requests each after 1,000 unmeasured');
    return rows(modes, figures, identifying);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await emulator.stop();
    await tenantsFile?.remove();
  }
}

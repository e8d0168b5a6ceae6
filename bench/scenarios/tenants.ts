import { setTimeout as sleep } from 'node:timers/promises';
import { startDemoEmulator } from '../lib/emulator-process.ts';
import { graphqlRequest, startGatewayProcess } from '../lib/gateway-process.ts';
import { DirectClient } from '../lib/ledger-day/direct-client.ts';
import { load, percentile, sendOnce, type HttpRequest, type LoadTarget } from '../lib/load.ts';
import { ratio } from '../lib/measure.ts';
import { ServerProcess } from '../lib/processes.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';
import { bearer, unrefusedBudgets, writeTenantsFile, type TenantsFile } from '../lib/tenants.ts';

export const name = 'tenants';
export const description =
  "A noisy tenant saturating the upstream connections with cold lookups against a quiet tenant's light requests: the quiet tenant's latency alone and beside it, with the fair share and first come, first served";

const seed = 'demo';
const now = '2026-06-10T12:00:00Z';
/** Every upstream answer waits this long, so that calls hold connections as over a real network. */
const upstreamLatencyMs = 10;
/** Lookups per noisy request: each is a call upstream (lookups by pspReference are never cached). */
const noisyLookups = 25;
const quietConnections = 2;

const lookup = (alias: string, ledgerId: string, pspReference: string) =>
  `${alias}: sale(ledgerId: ${JSON.stringify(ledgerId)}, pspReference: ${JSON.stringify(pspReference)}) { __typename ... on Sale { pspReference reference gross { minorUnits } } }`;

/** What the quiet tenant saw, alone and beside the noisy one, and what both got done beside each other. */
interface Tally {
  alone: number[];
  beside: number[];
  quiet: { requests: number; seconds: number };
  noisy: { requests: number; seconds: number };
}

const newTally = (): Tally => ({ alone: [], beside: [], quiet: { requests: 0, seconds: 0 }, noisy: { requests: 0, seconds: 0 } });

interface Side {
  label: string;
  quiet: LoadTarget;
  noisy: LoadTarget;
  tally: Tally;
}

/** A request once, so every timed answer can be checked against it. */
async function target(request: HttpRequest): Promise<LoadTarget> {
  return { ...request, expectBody: await sendOnce(request) };
}

/** The quiet tenant alone for `seconds`, then beside the noisy one (which starts before it and ends after it). */
async function slice(side: Side, seconds: number, noisyConnections: number, tally: Tally): Promise<void> {
  const alone = await load(side.quiet, { connections: quietConnections, durationSeconds: seconds });
  tally.alone.push(...alone.latenciesMs);
  const noisy = load(side.noisy, { connections: noisyConnections, durationSeconds: seconds + 2 });
  await sleep(1_000);
  const beside = await load(side.quiet, { connections: quietConnections, durationSeconds: seconds });
  const loud = await noisy;
  tally.beside.push(...beside.latenciesMs);
  tally.quiet.requests += beside.requests;
  tally.quiet.seconds += beside.seconds;
  tally.noisy.requests += loud.requests;
  tally.noisy.seconds += loud.seconds;
}

function rows(fair: Tally, fifo: Tally): Row[] {
  const sorted = (latencies: number[]) => [...latencies].sort((a, b) => a - b);
  const figure = (side: Tally, which: 'alone' | 'beside', share: number) => percentile(sorted(side[which]), share);
  const compared = (measure: string, pick: (side: Tally) => number): Row => ({
    measure,
    'fair share': pick(fair).toFixed(0),
    'first come, first served': pick(fifo).toFixed(0),
    'FIFO/fair': ratio(pick(fifo), pick(fair)),
  });
  const perSecond = (done: { requests: number; seconds: number }) => done.requests / done.seconds;
  return [
    compared('quiet tenant alone: p50 (ms)', (side) => figure(side, 'alone', 0.5)),
    compared('quiet tenant alone: p99 (ms)', (side) => figure(side, 'alone', 0.99)),
    compared('quiet tenant beside the noisy one: p50 (ms)', (side) => figure(side, 'beside', 0.5)),
    compared('quiet tenant beside the noisy one: p99 (ms)', (side) => figure(side, 'beside', 0.99)),
    {
      measure: 'quiet tenant beside the noisy one / alone: p50, p99',
      'fair share': `${ratio(figure(fair, 'beside', 0.5), figure(fair, 'alone', 0.5))}, ${ratio(figure(fair, 'beside', 0.99), figure(fair, 'alone', 0.99))}`,
      'first come, first served': `${ratio(figure(fifo, 'beside', 0.5), figure(fifo, 'alone', 0.5))}, ${ratio(figure(fifo, 'beside', 0.99), figure(fifo, 'alone', 0.99))}`,
    },
    compared('quiet tenant beside the noisy one: requests/s', (side) => perSecond(side.quiet)),
    compared(`noisy tenant: requests/s (${noisyLookups} upstream calls each)`, (side) => perSecond(side.noisy)),
  ];
}

export async function run(context: BenchContext): Promise<Row[]> {
  context.progress('starting the emulator');
  const { emulator, partner } = await startDemoEmulator({ seed, now, cpu: context.cores.upstream });
  const servers: ServerProcess[] = [];
  let tenantsFile: TenantsFile | undefined;
  try {
    const ledgers = (await emulator.admin.ledgers()).filter((ledger) => ledger.kind === 'vm' && ledger.grantedTo.includes(partner.clientId));
    const [quietLedger, noisyLedger] = ledgers;
    if (quietLedger === undefined || noisyLedger === undefined) throw new Error('the demo partner needs two Vippsnummer ledgers');

    // Sales of a closed date: the quiet tenant looks one up, the noisy one many at once.
    const direct = new DirectClient(emulator.url, partner);
    const date = new Date(Date.parse(now) - 2 * 86_400_000).toISOString().slice(0, 10);
    const [quietSale] = (await direct.sales(quietLedger.ledgerId, date)).filter((sale) => sale.pspReference);
    const noisySales = (await direct.sales(noisyLedger.ledgerId, date)).filter((sale) => sale.pspReference).slice(0, noisyLookups);
    await direct.close();
    if (quietSale?.pspReference == null || noisySales.length < noisyLookups) throw new Error(`the ledgers need sales on ${date}`);

    const keys = { quiet: 'rgw_bench_quiet_tenant_key', noisy: 'rgw_bench_noisy_tenant_key' };
    tenantsFile = await writeTenantsFile([
      { id: 'quiet', key: keys.quiet, ledgers: [quietLedger.ledgerId] },
      { id: 'noisy', key: keys.noisy, ledgers: [noisyLedger.ledgerId] },
    ]);
    const env = { AUTH_MODE: 'tenants', TENANTS_FILE: tenantsFile.path, ...unrefusedBudgets };
    context.progress('starting the gateway with the fair share, and one with first come, first served');
    const fair = await startGatewayProcess({ upstreamUrl: emulator.url, ...partner, cpu: context.cores.server, env });
    servers.push(fair);
    const fifo = await ServerProcess.start({
      label: 'gateway (FIFO)',
      entry: 'bench/lib/fifo-gateway.ts',
      env: { VIPPS_BASE_URL: emulator.url, VIPPS_CLIENT_ID: partner.clientId, VIPPS_CLIENT_SECRET: partner.clientSecret, HOST: '127.0.0.1', PORT: '0', REDIS_URL: '', ...env },
      cpu: context.cores.server,
      listening: /GraphiQL: (http:\/\/\S+)/,
    });
    servers.push(fifo);
    await emulator.admin.setFaults({ default: { latencyMs: upstreamLatencyMs } });

    const quietQuery = `query Quiet { ${lookup('sale', quietLedger.ledgerId, quietSale.pspReference)} }`;
    const noisyQuery = `query Noisy { ${noisySales.map((sale, index) => lookup(`s${index}`, noisyLedger.ledgerId, sale.pspReference ?? '')).join(' ')} }`;
    const sides: Side[] = [];
    for (const [label, server] of [
      ['fair share', fair],
      ['first come, first served', fifo],
    ] as const) {
      sides.push({
        label,
        quiet: await target(graphqlRequest(server.url, quietQuery, {}, bearer(keys.quiet))),
        noisy: await target(graphqlRequest(server.url, noisyQuery, {}, bearer(keys.noisy))),
        tally: newTally(),
      });
    }
    const [fairSide, fifoSide] = sides;
    if (fairSide === undefined || fifoSide === undefined) throw new Error('both gateways must be measured');
    if (fairSide.quiet.expectBody !== fifoSide.quiet.expectBody || fairSide.noisy.expectBody !== fifoSide.noisy.expectBody) {
      throw new Error('the two gateways answered differently');
    }

    for (const side of sides) {
      context.progress(`${side.label}: ${context.warmupSeconds} s warm-up`);
      if (context.warmupSeconds > 0) await slice(side, context.warmupSeconds, context.connections, newTally());
    }
    const seconds = context.durationSeconds / context.rounds;
    context.progress(`${context.rounds} rounds of ${seconds.toFixed(1)} s alone and ${seconds.toFixed(1)} s beside the noisy tenant, per gateway`);
    for (let round = 0; round < context.rounds; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) await slice(side, seconds, context.connections, side.tally);
    }

    context.note(
      `upstream: the emulator with ${upstreamLatencyMs} ms on every answer; each gateway holds 16 connections to it (UPSTREAM_CONNECTIONS, the default)`,
    );
    context.note(
      `quiet tenant: one sale by pspReference per request (1 upstream call), ${quietConnections} connections; noisy tenant: ${noisyLookups} such lookups ` +
        `per request (${noisyLookups} calls), ${context.connections} connections; both API keys, budgets too large to refuse`,
    );
    context.note('first come, first served: the same gateway with every upstream call in one line (bench/lib/fifo-gateway.ts), for comparison only');
    context.note('each gateway alternately, in slices: the quiet tenant alone, then beside the noisy one; every answer checked byte for byte');
    return rows(fairSide.tally, fifoSide.tally);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await emulator.stop();
    await tenantsFile?.remove();
  }
}

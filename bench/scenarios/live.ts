import { addDays } from '../../src/kernel/calendar.ts';
import { startRedis, type TestRedis } from '../../test/support/redis.ts';
import { subscribe, type Subscriber } from '../../test/live/sse.ts';
import { parse } from 'graphql';
import { startDemoEmulator, type EmulatorProcess } from '../lib/emulator-process.ts';
import { startGatewayProcess } from '../lib/gateway-process.ts';
import type { ServerProcess } from '../lib/processes.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';

export const name = 'live';
export const description =
  'Live updates: from a ledger date closing in the emulator to the event at subscribers on the replica that follows the feed and on another one, two gateway processes sharing a real redis-server';

const seed = 'demo';
const firstDate = '2026-05-20';
/** Closings measured, after one to warm up. */
const closings = 30;
/** How often the following replica polls the feed (`SYNC_INTERVAL_SECONDS`): most of the latency. */
const pollSeconds = 1;

// Codegen types the documents under test/; this one's answer is read for its date alone.
const DateClosed = parse(`
  subscription BenchDateClosed($ledgerIds: [String!]!) {
    ledgerDateClosed(ledgerIds: $ledgerIds) {
      date
    }
  }
`);

function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}

/** When the event for `date` arrived at a subscriber, once it has (performance.now()). */
async function arrival(subscriber: Subscriber<{ ledgerDateClosed: { date: string } }>, date: string, timeoutMs = 30_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = subscriber.results.find((result) => result.data?.ledgerDateClosed.date === date);
    if (found !== undefined) return found.at;
    if (performance.now() > deadline) throw new Error(`no event for ${date} within ${timeoutMs} ms: ${JSON.stringify(subscriber.results.slice(-3))}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export async function run(context: BenchContext): Promise<Row[]> {
  let emulator: EmulatorProcess | undefined;
  let redis: TestRedis | undefined;
  const gateways: ServerProcess[] = [];
  const subscribers: Array<Subscriber<{ ledgerDateClosed: { date: string } }>> = [];
  try {
    context.progress('starting the emulator, redis-server and two gateways');
    const started = await startDemoEmulator({ seed, now: `${firstDate}T12:00:00Z`, cpu: context.cores.upstream });
    emulator = started.emulator;
    const { partner } = started;
    redis = await startRedis();
    const ledgers = await emulator.admin.ledgers();
    const ledger = ledgers.find((candidate) => candidate.grantedTo.includes(partner.clientId) && candidate.settlement === 'daily' && candidate.kind === 'vm' && !candidate.busiest);
    if (ledger === undefined) throw new Error('the emulator should have a daily-settled VM ledger');
    const env = { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '2000', LOG_LEVEL: 'warn' };
    const follower = await startGatewayProcess({
      upstreamUrl: emulator.url,
      ...partner,
      cpu: context.cores.server,
      label: 'follower',
      env: { ...env, SYNC_IN_PROCESS: 'true', SYNC_INTERVAL_SECONDS: String(pollSeconds), SYNC_LEDGERS: ledger.ledgerId },
    });
    gateways.push(follower);
    const other = await startGatewayProcess({ upstreamUrl: emulator.url, ...partner, cpu: context.cores.server, label: 'other replica', env });
    gateways.push(other);
    const listen = async (server: ServerProcess) => {
      const subscriber = await subscribe<{ ledgerDateClosed: { date: string } }, { ledgerIds: string[] }>(fetch, server.url, DateClosed, { ledgerIds: [ledger.ledgerId] });
      subscribers.push(subscriber);
      return subscriber;
    };
    const onFollower = await listen(follower);
    const onOther = await listen(other);

    const local: number[] = [];
    const remote: number[] = [];
    const fanOut: number[] = [];
    for (let index = 0; index <= closings; index += 1) {
      const closing = addDays(firstDate, index);
      const closedAt = performance.now();
      await emulator.admin.setClock(`${addDays(closing, 1)}T12:00:00Z`);
      // The first closing waits for the follower's first walk of the ledger's history: not measured.
      const timeoutMs = index === 0 ? 300_000 : 30_000;
      const [atFollower, atOther] = await Promise.all([arrival(onFollower, closing, timeoutMs), arrival(onOther, closing, timeoutMs)]);
      if (index === 0) continue;
      local.push(atFollower - closedAt);
      remote.push(atOther - closedAt);
      fanOut.push(atOther - atFollower);
      context.progress(`${closing}: ${(atOther - closedAt).toFixed(0)} ms to the other replica`);
    }
    context.note(`ledger ${ledger.ledgerId} (${ledger.currency}, daily settlement); ${closings} closings from ${addDays(firstDate, 1)}, each the emulator's clock moved to noon of the next day`);
    context.note(`the follower runs the sync in process (SYNC_IN_PROCESS, SYNC_INTERVAL_SECONDS=${pollSeconds}): the poll interval is most of "closing to event"`);
    context.note('both replicas hear the event through Redis pub/sub (the follower too): the last row is, per closing, arrival at the other replica minus arrival at the follower');
    const row = (label: string, values: number[]): Row => ({
      measure: label,
      closings: values.length,
      'p50 ms': percentile(values, 0.5).toFixed(1),
      'p99 ms': percentile(values, 0.99).toFixed(1),
      'max ms': Math.max(...values).toFixed(1),
    });
    return [row('closing → event, subscriber on the follower', local), row('closing → event, subscriber on another replica', remote), row('other replica − follower, per closing', fanOut)];
  } finally {
    for (const subscriber of subscribers) subscriber.close();
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await emulator?.stop();
    await redis?.stop();
  }
}

import { createServer } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { startRedis, type TestRedis } from '../../test/support/redis.ts';
import { describeCalls, startEmulatorProcess, type EmulatorProcess } from '../lib/emulator-process.ts';
import { graphqlRequest, startGatewayProcess } from '../lib/gateway-process.ts';
import { ledgerDayEmulator, referenceDay } from '../lib/ledger-day/pick-day.ts';
import { ledgerDayQuery } from '../lib/ledger-day/query.ts';
import { sendOnce } from '../lib/load.ts';
import { compareUnderLoad, countedRequest, percent, ratio, type CountedRequest, type SideFigures } from '../lib/measure.ts';
import type { ServerProcess } from '../lib/processes.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';

export const name = 'ledger-day-cache';
export const description = 'The ledger-day query cold and warm: gateways sharing a real redis-server, against one whose cache never hits';

const { seed, now } = ledgerDayEmulator;

/** A port nothing listens on: a REDIS_URL there makes every cache read a miss, at once. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

function rows(first: { cold: CountedRequest; warm: CountedRequest }, loaded: { warm: SideFigures; cold: SideFigures }): Row[] {
  const both = (measure: string, cold: string, warm: string, warmOverCold = ''): Row => ({ measure, cold, warm, 'warm/cold': warmOverCold });
  const compared = (measure: string, pick: (side: SideFigures) => number, digits: number) =>
    both(measure, pick(loaded.cold).toFixed(digits), pick(loaded.warm).toFixed(digits), ratio(pick(loaded.warm), pick(loaded.cold)));
  return [
    both('first request of a fresh process: upstream calls', describeCalls(first.cold.calls), describeCalls(first.warm.calls)),
    both('first request of a fresh process: time (ms)', first.cold.ms.toFixed(0), first.warm.ms.toFixed(0)),
    compared('requests/s under load', (side) => side.requestsPerSecond, 1),
    both('upstream calls under load', describeCalls(loaded.cold.upstreamCalls), describeCalls(loaded.warm.upstreamCalls)),
    compared('upstream calls per request', (side) => side.upstreamCallsPerRequest, 2),
    compared('latency p50 (ms)', (side) => side.p50Ms, 0),
    compared('latency p99 (ms)', (side) => side.p99Ms, 0),
    both('CPU busy: gateway', percent(loaded.cold.serverBusy), percent(loaded.warm.serverBusy)),
    both('CPU busy: emulator', percent(loaded.cold.upstreamBusy), percent(loaded.warm.upstreamBusy)),
  ];
}

export async function run(context: BenchContext): Promise<Row[]> {
  const underTest: ServerProcess[] = [];
  let emulator: EmulatorProcess | undefined;
  let redis: TestRedis | undefined;
  try {
    context.progress('starting the emulator and redis-server');
    emulator = await startEmulatorProcess({ seed, now, cpu: context.cores.upstream });
    redis = await startRedis();
    const [partner] = await emulator.admin.partners();
    if (partner === undefined) throw new Error('the emulator has no demo partner');
    const { day, expected } = await referenceDay(emulator, partner, now);

    const gateway = (env: Record<string, string>) =>
      startGatewayProcess({ upstreamUrl: emulator?.url ?? '', ...partner, cpu: context.cores.server, env }).then((started) => {
        underTest.push(started);
        return started;
      });
    const request = (server: ServerProcess) => graphqlRequest(server.url, ledgerDayQuery, { ledgerId: day.ledgerId, date: day.date });

    context.progress(`ledger ${day.ledgerId}, ${day.date}: ${expected.ledger.sales.totalCount} sales; a gateway on an empty Redis`);
    const coldStart = await gateway({ REDIS_URL: redis.url });
    const cold = await countedRequest(emulator, request(coldStart));
    // Another process, as a second replica or a restart would be: nothing of its own yet.
    const warmStart = await gateway({ REDIS_URL: redis.url });
    const warm = await countedRequest(emulator, request(warmStart));
    const noCache = await gateway({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, CACHE_LOCAL_ENTRIES: '0' });
    const noCacheBody = await sendOnce(request(noCache));
    for (const [label, body] of [['cold', cold.body], ['warm', warm.body], ['no cache', noCacheBody]] as const) {
      if (!isDeepStrictEqual(JSON.parse(body), { data: expected })) throw new Error(`the ${label} answer differs from the reference join`);
    }

    const [loadedWarm, loadedCold] = await compareUnderLoad(context, emulator, [
      { label: 'warm (Redis)', server: warmStart, target: { ...request(warmStart), expectBody: warm.body } },
      { label: 'cold (no cache hit)', server: noCache, target: { ...request(noCache), expectBody: noCacheBody } },
    ]);
    if (loadedWarm === undefined || loadedCold === undefined) throw new Error('both sides must be measured');

    context.note(`day: ledger ${day.ledgerId} (${day.currency}), ${day.date}, ${expected.ledger.sales.totalCount} sales; emulator seed "${seed}", clock ${now}`);
    context.note('first request, cold: a fresh gateway on an empty redis-server; warm: another fresh gateway process on the same Redis afterwards');
    context.note(
      'under load, warm: that second gateway (REDIS_URL to the redis-server, decoded dates kept in the process); ' +
        'cold: a gateway whose REDIS_URL points at a closed port and with CACHE_LOCAL_ENTRIES=0, so every cache read misses and every request reads upstream ' +
        '(concurrent requests for one date still share one upstream read)',
    );
    context.note('every answer checked equal to a reference join before timing, and byte for byte under load');
    return rows({ cold, warm }, { warm: loadedWarm, cold: loadedCold });
  } finally {
    await Promise.all(underTest.map((server) => server.stop()));
    await emulator?.stop();
    await redis?.stop();
  }
}

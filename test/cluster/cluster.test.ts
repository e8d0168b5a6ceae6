import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import { silentLogger } from '../../src/logger.ts';
import { RedisConnection } from '../../src/sources/redis/connection.ts';
import { feedKeys, feeds } from '../../src/sync/keys.ts';
import { MirrorStore } from '../../src/sync/store.ts';
import { syncPass, type PassReport } from '../../src/sync/syncer.ts';
import type { PortalLedgerDayQuery } from '../gql/graphql.ts';
import { expectMirrorExact, firstLedgerDates } from '../mirror/support.ts';
import { today } from '../support/clock.ts';
import { it } from '../support/harness.ts';
import { LedgerDay } from '../support/ledger-day.ts';
import { startRedisCluster, type TestCluster } from '../support/redis-cluster.ts';
import { routes } from '../support/routes.ts';

/**
 * The gateway and the sync on a Redis Cluster of three masters with a replica each: replicas
 * share cached dates and one token through it, the mirror is exact, and when the master holding
 * the mirrored ledger is killed mid-run (its replica takes over), no query fails and no mirror
 * entry is lost or stored twice.
 */

it.override('emulatorOptions', { reportPageSize: 100 });

const queried = '241684'; // the demo partner's Vippsnummer ledger
const mirrored = '207779'; // the second partner's smaller ledger
const dates = Array.from({ length: 4 }, (_, back) => addDays('2026-05-18', -back));

/** A pass is done when no feed failed or was taken over mid-way, and every feed reached its end. */
const finished = (report: PassReport) => report.failed === 0 && report.feeds.every((feed) => feed.outcome === 'caught-up' || feed.outcome === 'waiting');

describe('on a Redis Cluster', () => {
  let cluster: TestCluster;
  it.beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  it.afterAll(async () => {
    await cluster?.stop();
  });

  it('shares cached dates and one token between replicas', async ({ admin, openGateway }) => {
    const redis = { url: cluster.url };
    const first = await openGateway({ redis });
    expect(first.runtime.redis?.cluster).toBe(true);
    await admin.resetStats();
    const cold = await first.execute(LedgerDay, { ledgerId: queried, date: dates[0] ?? '' });
    expect((await admin.stats()).routes[routes.token]).toBe(1);

    const second = await openGateway({ redis });
    await admin.resetStats();
    expect(await second.execute(LedgerDay, { ledgerId: queried, date: dates[0] ?? '' })).toEqual(cold);
    expect((await admin.stats()).total).toBe(0);
  });

  it('answers every query and mirrors exactly while a master fails over', async ({ emulator, admin, openGateway, openUpstream }) => {
    const partner = emulator.partners[1];
    if (partner === undefined) throw new Error('the emulator has a second partner');
    // What every answer must be, from a gateway without Redis.
    const reference = await openGateway();
    const expected = new Map<string, PortalLedgerDayQuery>();
    for (const date of dates) expected.set(date, await reference.execute(LedgerDay, { ledgerId: queried, date }));

    const gateway = await openGateway({ redis: { url: cluster.url } });
    const connection = new RedisConnection({ url: cluster.nodes[0]?.url ?? '', nodes: cluster.url.split(','), cluster: true, logger: silentLogger, commandTimeoutMs: 1_000 });
    const direct = openUpstream({ partner });
    const sync = openUpstream({ partner });
    try {
      expect(await connection.waitUntilReady(5_000)).toBe(true);
      const store = new MirrorStore(connection);
      const stateKey = feedKeys(sync.fingerprint, mirrored, 'funds').state;
      const victim = await cluster.masterOf(stateKey);
      const options = {
        upstream: sync,
        store,
        logger: silentLogger,
        ledgerIds: [mirrored],
        concurrency: 3,
        salesPageSize: 100,
        minPollIntervalMs: 60_000,
        retry: { attempts: 6, firstDelayMs: 100, maxDelayMs: 1_000 },
      };
      // Slow pages, so that the sync is still at work when the master goes.
      await admin.setFaults({ routes: { [routes.reportFeed]: { latencyMs: 15 }, [routes.salesFeed]: { latencyMs: 15 } } });

      const passes: PassReport[] = [];
      const syncing = (async () => {
        for (let pass = 0; pass < 40; pass += 1) {
          const report = await syncPass(options).catch(() => null);
          if (report !== null) passes.push(report);
          if (report !== null && finished(report)) return;
          await sleep(250);
        }
        throw new Error(`the sync did not finish: ${JSON.stringify(passes.at(-1))}`);
      })();
      const stored = async () => (await store.readState(store.keys(sync.fingerprint, mirrored, 'funds')).catch(() => null))?.state.position ?? 0;
      while ((await stored()) < 300) await sleep(20);

      const ask = () => Promise.all(dates.map(async (date) => ({ date, answer: await gateway.request(LedgerDay, { ledgerId: queried, date }) })));
      const during = ask();
      await victim.kill('SIGKILL');
      const answers = await during;
      for (let round = 1; round <= 3; round += 1) {
        answers.push(...(await ask()));
        await sleep(300);
      }
      await syncing;
      // The kill landed mid-run: a replica serves the mirror's slot now, and the sync met the outage.
      expect(await cluster.masterOf(stateKey)).not.toBe(victim);
      expect(passes.length).toBeGreaterThan(1);
      await admin.setFaults({});

      for (const { date, answer } of answers) {
        expect(answer.errors, date).toEqual([]);
        expect(answer.data, date).toEqual(expected.get(date));
      }
      const firstDate = (await firstLedgerDates(emulator)).get(mirrored) ?? '';
      await expectMirrorExact(store, direct, mirrored, firstDate, today);
      for (const feed of feeds) expect((await store.readState(store.keys(sync.fingerprint, mirrored, feed))).state.atEnd).toBe(true);
      // Caching and the shared token came back once the replica took over.
      await gateway.execute(LedgerDay, { ledgerId: queried, date: addDays(dates[0] ?? '', -7) });
      expect(gateway.runtime.redis?.isHealthy()).toBe(true);
    } finally {
      await admin.setFaults({});
      await connection.close();
    }
  });
});

import { expect } from 'vitest';
import { datesFrom } from '../../src/kernel/calendar.ts';
import { silentLogger } from '../../src/logger.ts';
import type { Upstream } from '../../src/sources/index.ts';
import { RedisConnection } from '../../src/sources/redis/connection.ts';
import { topics } from '../../src/sources/report/models.ts';
import { MirrorStore } from '../../src/sync/store.ts';
import type { SyncOptions } from '../../src/sync/syncer.ts';
import type { TestEmulator } from '../support/emulator.ts';

/** The feed mirror against a real emulator and a real redis-server, and the check that it is exact. */

/** The first ledger date of every ledger, from the emulator's own description of its data. */
export async function firstLedgerDates(emulator: TestEmulator): Promise<Map<string, string>> {
  return new Map((await emulator.ledgers()).map((ledger) => [ledger.ledgerId, ledger.firstLedgerDate]));
}

export interface MirrorRig {
  redis: RedisConnection;
  store: MirrorStore;
  upstream: Upstream;
  options(overrides?: Partial<SyncOptions>): SyncOptions;
  close(): Promise<void>;
}

/**
 * A sync's parts on a Redis connection of their own. The upstream is a plain client: these suites
 * test the sync's own patience (its retries, its waits for tryLater), so each call is made once.
 */
export async function mirrorRig(redisUrl: string, upstream: Upstream): Promise<MirrorRig> {
  const redis = new RedisConnection({ url: redisUrl, logger: silentLogger, commandTimeoutMs: 1_000 });
  expect(await redis.waitUntilReady(5_000)).toBe(true);
  const store = new MirrorStore(redis);
  return {
    redis,
    store,
    upstream,
    options: (overrides = {}) => ({
      upstream,
      store,
      logger: silentLogger,
      ledgerIds: null,
      concurrency: 3,
      salesPageSize: 1000,
      minPollIntervalMs: 60_000,
      retry: { attempts: 6, firstDelayMs: 50, maxDelayMs: 2_000 },
      ...overrides,
    }),
    close: async () => {
      await redis.close();
    },
  };
}

/**
 * The mirror of a ledger equals a full walk of the date endpoints from its first date to
 * `lastDate`: every Report date entry for entry and in order, and the Sales feed equal to the
 * Sales dates one after another. Nothing missing, nothing twice, nothing else.
 */
export async function expectMirrorExact(store: MirrorStore, direct: Upstream, ledgerId: string, firstDate: string, lastDate: string): Promise<void> {
  const fp = direct.fingerprint;
  const dates = datesFrom(firstDate, lastDate);
  for (const topic of topics) {
    let walked = 0;
    for (const date of dates) {
      const expected = (await direct.report.forDate(ledgerId, topic, date)).entries.map((entry) => JSON.stringify(entry));
      const mirrored = await store.dateEntries(fp, ledgerId, topic, date);
      expect(mirrored, `${ledgerId} ${topic} ${date}`).toEqual(expected);
      walked += expected.length;
    }
    expect((await store.feedEntries(fp, ledgerId, topic)).length, `${ledgerId} ${topic} in all`).toBe(walked);
  }
  const sales: string[] = [];
  for (const date of dates) sales.push(...(await direct.sales.forDate(ledgerId, date)).map((entry) => JSON.stringify(entry)));
  expect(await store.feedEntries(fp, ledgerId, 'sales'), `${ledgerId} sales`).toEqual(sales);
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import { eventually } from '../cache/eventually.ts';
import { calls, startHarness, type EmulatorHarness } from '../sources/emulator.ts';
import { useRedis } from '../support/redis.ts';
import { cacheOf, ledgerDayModel, ledgerDayQuery, startReplica, type LedgerDay, type Replica } from './support.ts';

/** Redis trouble is a cache miss: every query is answered while it is gone, and caching comes back with it. */

describe('a Redis killed mid-run', () => {
  const redis = useRedis();
  let harness: EmulatorHarness;
  let gateway: Replica;
  let reference: Replica;
  const ledgerId = '241684';
  const dates = Array.from({ length: 6 }, (_, back) => addDays('2026-05-18', -back));

  beforeAll(async () => {
    harness = await startHarness();
    // The short command timeout a deployment has: a dead Redis must not slow every query.
    gateway = await startReplica(harness, redis.url, { commandTimeoutMs: 50 });
    reference = await startReplica(harness, redis.url);
  });
  afterAll(async () => {
    await gateway.close();
    await reference.close();
    await harness.close();
  });

  const ask = (replica: Replica, date: string) => replica.query(ledgerDayModel, ledgerDayQuery, { ledgerId, date });

  it('leaves every query answered, and caching resumes when Redis is back', async () => {
    const expected = new Map<string, LedgerDay>();
    for (const date of dates) expected.set(date, await ask(reference, date));

    // Queries in flight while Redis dies, and queries after.
    const during = dates.map((date) => ask(gateway, date));
    await redis.kill('SIGKILL');
    const afterwards = dates.map((date) => ask(gateway, date));
    const answers = await Promise.all([...during, ...afterwards]);
    answers.forEach((answer, index) => expect(answer).toEqual(expected.get(dates[index % dates.length] ?? '')));
    expect(cacheOf(gateway).isHealthy()).toBe(false);

    await redis.restart();
    await eventually(() => cacheOf(gateway).isHealthy() && cacheOf(gateway).ping(), 10_000, 'the cache to reconnect');
    // A date this replica has not seen yet goes into Redis again, where another replica finds it.
    const date = addDays('2026-05-18', -10);
    const answer = await ask(gateway, date);
    const other = await startReplica(harness, redis.url);
    try {
      await harness.resetStats();
      expect(await ask(other, date)).toEqual(answer);
      // The dates come from Redis; the token and the ledger list went with the old Redis.
      const { routes } = await harness.stats();
      expect([routes[calls.reportDate] ?? 0, routes[calls.salesDate] ?? 0]).toEqual([0, 0]);
    } finally {
      await other.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/sources/dates.ts';
import { eventually } from '../cache/eventually.ts';
import { startHarness, type EmulatorHarness } from '../sources/emulator.ts';
import { useRedis } from '../support/redis.ts';
import { cacheOf, dataCalls, ledgerDayModel, ledgerDayQuery, startReplica, type LedgerDay, type Replica } from './support.ts';

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
    const [date] = dates;
    if (date === undefined) throw new Error('no dates');
    await ask(gateway, date);
    await harness.resetStats();
    expect(await ask(gateway, date)).toEqual(expected.get(date));
    expect(dataCalls(await harness.stats())).toBe(0);
  });
});

import { describe, expect } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import type { PortalLedgerDayQuery } from '../gql/graphql.ts';
import { eventually } from '../cache/eventually.ts';
import type { ComposedGateway } from '../support/gateway.ts';
import { it } from '../support/harness.ts';
import { LedgerDay } from '../support/ledger-day.ts';
import { routes } from '../support/routes.ts';

/** Redis trouble is a cache miss: every query is answered while it is gone, and caching comes back with it. */

describe('a Redis killed mid-run', () => {
  const ledgerId = '241684';
  const dates = Array.from({ length: 6 }, (_, back) => addDays('2026-05-18', -back));

  const ask = (replica: ComposedGateway, date: string) => replica.execute(LedgerDay, { ledgerId, date });

  it('leaves every query answered, and caching resumes when Redis is back', async ({ redis, admin, openGateway }) => {
    // The short command timeout a deployment has: a dead Redis must not slow every query.
    const gateway = await openGateway({ redis, env: { REDIS_COMMAND_TIMEOUT_MS: '50' } });
    const reference = await openGateway({ redis });
    const cache = gateway.runtime.cache;

    const expected = new Map<string, PortalLedgerDayQuery>();
    for (const date of dates) expected.set(date, await ask(reference, date));

    // Queries in flight while Redis dies, and queries after.
    const during = dates.map((date) => ask(gateway, date));
    await redis.kill('SIGKILL');
    const afterwards = dates.map((date) => ask(gateway, date));
    const answers = await Promise.all([...during, ...afterwards]);
    answers.forEach((answer, index) => expect(answer).toEqual(expected.get(dates[index % dates.length] ?? '')));
    expect(cache.isHealthy()).toBe(false);

    await redis.restart();
    await eventually(() => cache.isHealthy() && cache.ping(), 10_000, 'the cache to reconnect');
    // A date this replica has not seen yet goes into Redis again, where another replica finds it.
    const date = addDays('2026-05-18', -10);
    const answer = await ask(gateway, date);
    const other = await openGateway({ redis });
    await admin.resetStats();
    expect(await ask(other, date)).toEqual(answer);
    // The dates come from Redis; the token and the ledger list went with the old Redis.
    const { routes: called } = await admin.stats();
    expect([called[routes.reportDate] ?? 0, called[routes.salesDate] ?? 0]).toEqual([0, 0]);
  });
});

import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { reportDateKey, salesDateKey } from '../../src/sources/cache/keys.ts';
import { eventually } from '../cache/eventually.ts';
import { calls } from '../sources/emulator.ts';
import { useRedis } from '../support/redis.ts';
import { cacheOf, ledgerDayModel, ledgerDayQuery, useReplicas } from './support.ts';

/**
 * A query over closed dates is answered from Redis by any replica, without one upstream call;
 * what can still change (an open date) is kept briefly.
 */

const ledgerId = '241684'; // a Vippsnummer ledger of the demo partner, with a 04:00 cut-off
const closedDate = '2026-05-18';
const openDate = '2026-05-20';

const openDayQuery = /* GraphQL */ `
  query OpenDay($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) { __typename ... on Ledger { moneyMovements(date: $date, topic: FUNDS, first: 5) { isClosed totalCount } } }
  }
`;
const openDayModel = z.object({
  ledger: z.object({ __typename: z.literal('Ledger'), moneyMovements: z.object({ isClosed: z.boolean(), totalCount: z.number() }) }),
});

describe('caching in Redis', () => {
  const redis = useRedis();
  const suite = useReplicas(redis);
  const { replica } = suite;

  it('answers a warm ledger day over closed dates with no upstream call, from any replica', async () => {
    const first = await replica();
    await suite.harness.resetStats();
    const cold = await first.query(ledgerDayModel, ledgerDayQuery, { ledgerId, date: closedDate });
    const coldStats = await suite.harness.stats();
    expect(cold.ledger.sales.totalCount).toBeGreaterThan(10);
    expect(coldStats.routes[calls.reportDate]).toBeGreaterThanOrEqual(3);
    expect(coldStats.routes[calls.salesDate]).toBeGreaterThanOrEqual(1);

    // A replica that never ran a query: no token of its own, nothing in its process.
    const second = await replica();
    await suite.harness.resetStats();
    const warm = await second.query(ledgerDayModel, ledgerDayQuery, { ledgerId, date: closedDate });
    expect((await suite.harness.stats()).total).toBe(0);
    expect(warm).toEqual(cold);

    await suite.harness.resetStats();
    expect(await first.query(ledgerDayModel, ledgerDayQuery, { ledgerId, date: closedDate })).toEqual(cold);
    expect((await suite.harness.stats()).total).toBe(0);
  });

  it('keeps closed Report dates and final Sales dates for good, an open date only briefly', async () => {
    const gateway = await replica({ policy: { openDateTtlSeconds: 1 } });
    const fp = gateway.upstream.fingerprint;
    await gateway.query(ledgerDayModel, ledgerDayQuery, { ledgerId, date: closedDate });
    await gateway.query(ledgerDayModel, ledgerDayQuery, { ledgerId, date: closedDate });
    await gateway.query(ledgerDayModel, ledgerDayQuery, { ledgerId, date: openDate });

    const inspect = createClient({ url: redis.url });
    await inspect.connect();
    try {
      expect(await inspect.pTTL(reportDateKey(fp, ledgerId, 'funds', closedDate))).toBe(-1);
      expect(await inspect.pTTL(reportDateKey(fp, ledgerId, 'fees', closedDate))).toBe(-1);
      // The Sales date is final once its Report date is closed.
      expect(await inspect.pTTL(salesDateKey(fp, ledgerId, closedDate))).toBe(-1);
      const openTtl = await inspect.pTTL(salesDateKey(fp, ledgerId, openDate));
      expect(openTtl).toBeGreaterThan(0);
      expect(openTtl).toBeLessThanOrEqual(1_000);
    } finally {
      await inspect.close();
    }
  });

  it('reads an open Report date again once its short life is over', async () => {
    const gateway = await replica({ policy: { openDateTtlSeconds: 1 } });
    const variables = { ledgerId, date: openDate };
    const first = await gateway.query(openDayModel, openDayQuery, variables);
    expect(first.ledger.moneyMovements.isClosed).toBe(false);

    await suite.harness.resetStats();
    await gateway.query(openDayModel, openDayQuery, variables);
    expect(await suite.harness.count(calls.reportDate)).toBe(0);

    const key = reportDateKey(gateway.upstream.fingerprint, ledgerId, 'funds', openDate);
    await eventually(async () => (await cacheOf(gateway).get(key)) === null, 5_000, 'the open date to expire');
    await suite.harness.resetStats();
    await gateway.query(openDayModel, openDayQuery, variables);
    expect(await suite.harness.count(calls.reportDate)).toBe(1);
  });
});

import { createClient } from 'redis';
import { describe, expect } from 'vitest';
import { reportDateKey, salesDateKey } from '../../src/sources/cache/keys.ts';
import { graphql } from '../gql/index.ts';
import { eventually } from '../cache/eventually.ts';
import { narrow, present } from '../support/answers.ts';
import { it } from '../support/harness.ts';
import { LedgerDay } from '../support/ledger-day.ts';
import { calls, routes } from '../support/routes.ts';

/**
 * A query over closed dates is answered from Redis by any replica, without one upstream call;
 * what can still change (an open date) is kept briefly.
 */

const ledgerId = '241684'; // a Vippsnummer ledger of the demo partner, with a 04:00 cut-off
const closedDate = '2026-05-18';
const openDate = '2026-05-20';

const OpenDay = graphql(`
  query CachingOpenDay($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) { __typename ... on Ledger { moneyMovements(date: $date, topic: FUNDS, first: 5) { isClosed totalCount } } }
  }
`);

/** An open date is kept this long here: long enough to see it kept, short enough to see it go. */
const briefly = { CACHE_OPEN_DATE_TTL_SECONDS: '1' };

describe('caching in Redis', () => {
  it('answers a warm ledger day over closed dates with no upstream call, from any replica', async ({ admin, redis, openGateway }) => {
    const first = await openGateway({ redis });
    await admin.resetStats();
    const cold = await first.execute(LedgerDay, { ledgerId, date: closedDate });
    const coldStats = await admin.stats();
    expect(present(narrow(cold.ledger, 'Ledger').sales, 'sales').totalCount).toBeGreaterThan(10);
    expect(coldStats.routes[routes.reportDate]).toBeGreaterThanOrEqual(3);
    expect(coldStats.routes[routes.salesDate]).toBeGreaterThanOrEqual(1);

    // A replica that never ran a query: no token of its own, nothing in its process.
    const second = await openGateway({ redis });
    await admin.resetStats();
    const warm = await second.execute(LedgerDay, { ledgerId, date: closedDate });
    expect((await admin.stats()).total).toBe(0);
    expect(warm).toEqual(cold);

    await admin.resetStats();
    expect(await first.execute(LedgerDay, { ledgerId, date: closedDate })).toEqual(cold);
    expect((await admin.stats()).total).toBe(0);
  });

  it('keeps closed Report dates and final Sales dates for good, an open date only briefly', async ({ redis, openGateway }) => {
    const gateway = await openGateway({ redis, env: briefly });
    const fp = gateway.upstream.fingerprint;
    await gateway.execute(LedgerDay, { ledgerId, date: closedDate });
    await gateway.execute(LedgerDay, { ledgerId, date: closedDate });
    await gateway.execute(LedgerDay, { ledgerId, date: openDate });

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

  it('reads an open Report date again once its short life is over', async ({ admin, redis, openGateway }) => {
    const gateway = await openGateway({ redis, env: briefly });
    const variables = { ledgerId, date: openDate };
    const first = await gateway.execute(OpenDay, variables);
    expect(present(narrow(first.ledger, 'Ledger').moneyMovements, 'moneyMovements').isClosed).toBe(false);

    await admin.resetStats();
    await gateway.execute(OpenDay, variables);
    expect(await calls(admin, routes.reportDate)).toBe(0);

    const key = reportDateKey(gateway.upstream.fingerprint, ledgerId, 'funds', openDate);
    await eventually(async () => (await gateway.runtime.cache.get(key)) === null, 5_000, 'the open date to expire');
    await admin.resetStats();
    await gateway.execute(OpenDay, variables);
    expect(await calls(admin, routes.reportDate)).toBe(1);
  });
});

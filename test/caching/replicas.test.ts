import { createClient } from 'redis';
import { describe, expect } from 'vitest';
import type { EmulatorStats } from '../../src/emulator/admin-client.ts';
import { keyPrefix } from '../../src/sources/cache/keys.ts';
import { it } from '../support/harness.ts';
import { LedgerDay } from '../support/ledger-day.ts';
import { calls, routes } from '../support/routes.ts';
import { dataCalls } from './support.ts';

/** What replicas share through Redis, and what two upstream credentials never share. */

const closedDate = '2026-05-18';

describe('replicas on one Redis', () => {
  it('fetches one token between two gateway instances', async ({ emulator, admin, redis, openGateway }) => {
    // Each replica has its own upstream client (pool, token provider) and Redis connection, as
    // separate processes would.
    const [first, second] = [await openGateway({ redis }), await openGateway({ redis })];
    const ledgerId = emulator.partner.ledgerIds[0] ?? '';
    await admin.resetStats();
    // Both start cold at once: one takes the refresh lock, the other waits for its token.
    const answers = await Promise.all([
      first.execute(LedgerDay, { ledgerId, date: closedDate }),
      second.execute(LedgerDay, { ledgerId, date: closedDate }),
    ]);
    expect(answers[1]).toEqual(answers[0]);
    expect(await calls(admin, routes.token)).toBe(1);
    const [firstToken, secondToken] = await Promise.all([first.upstream.http.tokens.get(), second.upstream.http.tokens.get()]);
    expect(secondToken).toBe(firstToken);
  });

  it('never let two upstream credentials share an entry, even for a ledger granted to both', async ({ emulator, admin, redis, openGateway }) => {
    const [partnerA, partnerB] = emulator.partners;
    const shared = partnerA?.ledgerIds.find((ledgerId) => partnerB?.ledgerIds.includes(ledgerId));
    if (partnerA === undefined || partnerB === undefined || shared === undefined) throw new Error('the emulator grants one ledger to its first two partners');
    const first = await openGateway({ redis, partner: partnerA });
    const second = await openGateway({ redis, partner: partnerB });
    const variables = { ledgerId: shared, date: '2026-05-12' };

    const datesRead = (stats: EmulatorStats) => [stats.routes[routes.salesDate], stats.routes[routes.reportDate]];
    await admin.resetStats();
    const answerA = await first.execute(LedgerDay, variables);
    const coldA = await admin.stats();
    await admin.resetStats();
    const answerB = await second.execute(LedgerDay, variables);
    const coldB = await admin.stats();
    expect(dataCalls(coldA)).toBeGreaterThan(0);
    // The second partner reads every date upstream again, under its own credential.
    expect(datesRead(coldB)).toEqual(datesRead(coldA));
    expect(answerB).toEqual(answerA);

    const inspect = createClient({ url: redis.url });
    await inspect.connect();
    try {
      const keys: string[] = [];
      for await (const batch of inspect.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 500 })) keys.push(...batch);
      const owners = [first.upstream.fingerprint, second.upstream.fingerprint];
      for (const key of keys) expect(owners.filter((fp) => key.startsWith(`${keyPrefix}${fp}:`))).toHaveLength(1);
      for (const fp of owners) expect(keys.filter((key) => key.startsWith(`${keyPrefix}${fp}:`) && key.includes(shared)).length).toBeGreaterThan(2);
      for (const partner of [partnerA, partnerB]) expect(keys.filter((key) => key.includes(partner.clientSecret))).toEqual([]);
    } finally {
      await inspect.close();
    }
  });
});

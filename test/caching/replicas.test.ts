import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { keyPrefix } from '../../src/sources/cache/keys.ts';
import { calls } from '../sources/emulator.ts';
import { useRedis } from '../support/redis.ts';
import { dataCalls, ledgerDayModel, ledgerDayQuery, useReplicas } from './support.ts';

/** What replicas share through Redis, and what two upstream credentials never share. */

const closedDate = '2026-05-18';

describe('replicas on one Redis', () => {
  const redis = useRedis();
  const suite = useReplicas(redis);
  const { replica } = suite;

  it('fetches one token between two gateway instances', async () => {
    const [first, second] = [await replica(), await replica()];
    const ledgerId = suite.harness.emulator.partners[0]?.ledgerIds[0] ?? '';
    await suite.harness.resetStats();
    // Both start cold at once: one takes the refresh lock, the other waits for its token.
    const answers = await Promise.all([
      first.query(ledgerDayModel, ledgerDayQuery, { ledgerId, date: closedDate }),
      second.query(ledgerDayModel, ledgerDayQuery, { ledgerId, date: closedDate }),
    ]);
    expect(answers[1]).toEqual(answers[0]);
    expect(await suite.harness.count(calls.token)).toBe(1);
    const [firstToken, secondToken] = await Promise.all([first.upstream.http.tokens.get(), second.upstream.http.tokens.get()]);
    expect(secondToken).toBe(firstToken);
  });

  it('never let two upstream credentials share an entry, even for a ledger granted to both', async () => {
    const [partnerA, partnerB] = suite.harness.emulator.partners;
    const shared = partnerA?.ledgerIds.find((ledgerId) => partnerB?.ledgerIds.includes(ledgerId));
    if (partnerB === undefined || shared === undefined) throw new Error('the emulator grants one ledger to its first two partners');
    const first = await replica({ partnerIndex: 0 });
    const second = await replica({ partnerIndex: 1 });
    const variables = { ledgerId: shared, date: '2026-05-12' };

    const datesRead = (stats: { routes: Record<string, number> }) => [stats.routes[calls.salesDate], stats.routes[calls.reportDate]];
    await suite.harness.resetStats();
    const answerA = await first.query(ledgerDayModel, ledgerDayQuery, variables);
    const coldA = await suite.harness.stats();
    await suite.harness.resetStats();
    const answerB = await second.query(ledgerDayModel, ledgerDayQuery, variables);
    const coldB = await suite.harness.stats();
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
      for (const partner of [partnerA, partnerB]) expect(keys.filter((key) => key.includes(partner?.clientSecret ?? '-'))).toEqual([]);
    } finally {
      await inspect.close();
    }
  });
});

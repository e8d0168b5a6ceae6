import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { describe, expect } from 'vitest';
import type { MemoryCache } from '../../src/sources/cache/memory.ts';
import { keyPrefix, ledgerListKey } from '../../src/sources/cache/keys.ts';
import { apiKeyDigest } from '../../src/tenancy/directory.ts';
import { recordingLogger } from '../cache/recording-logger.ts';
import { dataCalls } from '../caching/support.ts';
import type { EmulatorStats } from '../../src/emulator/admin-client.ts';
import { callsTo, routes } from '../support/routes.ts';
import { graphql } from '../gql/index.ts';
import { narrow, present } from '../support/answers.ts';
import type { ComposedGateway } from '../support/gateway.ts';
import { testNow } from '../support/clock.ts';
import { it } from '../support/harness.ts';

/**
 * The whole-answer cache: an answer that read only closed dates is answered again without
 * executing, to the same caller only; anything that can still change is executed every time.
 * A hit is told from an execution by upstream calls: before asking again, the test empties the
 * gateway's own cache of upstream dates (and its token), so executing would read upstream again.
 * A hit reads only the ledger list (the grant and the ledgers it names are checked on every hit).
 * A Sales date counts as final only once its Report date is known closed, and the first answer of
 * a closed date reads both in one wave: it may be executed and not kept; the second is kept.
 */

const AnswerCacheDay = graphql(`
  query AnswerCacheDay($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        sales(date: $date, first: 100) {
          totalCount
          edges {
            node {
              pspReference
              gross { minorUnits }
              captures { ledgerDate amount { minorUnits } }
              fees { ledgerDate amount { minorUnits } }
            }
          }
        }
      }
    }
  }
`);

const AnswerCacheOwner = graphql(`
  query AnswerCacheOwner($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        owner { identifier }
        sales(date: $date, first: 5) {
          totalCount
          edges { node { captures { amount { minorUnits } } } }
        }
      }
    }
  }
`);

const closedDate = '2026-05-18';
/** Closes at the next midnight; at `testNow` it holds what was booked up to noon. */
const openDate = testNow.slice(0, 10);
/** When `openDate` and the date after it are closed. */
const later = '2026-05-22T12:00:00Z';

/**
 * The answer cache on (the suites' gateways run without it), and no local layer of decoded dates,
 * so that emptying the gateway's cache leaves nothing to execute from.
 */
const noLocalDates = { ANSWER_CACHE: 'true', CACHE_LOCAL_ENTRIES: '0' };

/** Upstream calls of executing: every one but the token's and the ledger list's, which a hit reads too. */
function executionCalls(stats: EmulatorStats): number {
  return dataCalls(stats) - callsTo(stats, routes.ledgers);
}

/** Forgets every upstream date, list and token the gateway holds (the memory backend). */
async function forgetUpstream(gateway: ComposedGateway): Promise<void> {
  await (gateway.runtime.cache as MemoryCache).close();
}

const keys = {
  details: 'rgw_test_answers_details_1',
  detailsOther: 'rgw_test_answers_details_2',
  plain: 'rgw_test_answers_plain_1',
  limited: 'rgw_test_answers_limited_1',
};
/** The `limited` tenant's requests per minute. */
const limitedRequests = 4;
const auth = (key: string) => ({ authorization: `Bearer ${key}` });

/** The access lines of one operation's requests, in the order they were answered. */
function accessLines(logger: ReturnType<typeof recordingLogger>, operation: string) {
  return logger.at('info').filter((line) => line.msg === 'access' && line.fields.operation === operation);
}

/** Two tenants granted the same ledger: one with `ledger-details` and two API keys, one without. */
async function tenantsFile(ledgerId: string, path?: string, plainLedgers: string[] = [ledgerId]): Promise<string> {
  path ??= join(await mkdtemp(join(tmpdir(), 'answers-')), 'tenants.json');
  const tenants = [
    { id: 'details', ledgers: [ledgerId], roles: ['ledger-details'], apiKeys: [apiKeyDigest(keys.details), apiKeyDigest(keys.detailsOther)] },
    { id: 'plain', ledgers: plainLedgers, apiKeys: [apiKeyDigest(keys.plain)] },
    { id: 'limited', ledgers: [ledgerId], apiKeys: [apiKeyDigest(keys.limited)], limits: { requestsPerMinute: limitedRequests } },
  ];
  await writeFile(path, JSON.stringify({ tenants }));
  return path;
}

describe('the whole-answer cache', () => {
  it('answers a closed date again without executing, and executes again with the cache off', async ({ emulator, admin, openGateway }) => {
    const { ledgerId } = await emulator.ledger((ledger) => ledger.kind === 'vm' && ledger.cutoffHour === 0);
    const variables = { ledgerId, date: closedDate };
    const costs: number[] = [];
    for (const env of [noLocalDates, { ...noLocalDates, ANSWER_CACHE: 'false' }]) {
      const gateway = await openGateway({ env });
      const first = await gateway.execute(AnswerCacheDay, variables);
      // The first answer may read the Sales date before its Report date is known closed: the second is kept.
      expect(await gateway.execute(AnswerCacheDay, variables)).toEqual(first);
      await forgetUpstream(gateway);
      await admin.resetStats();
      expect(await gateway.execute(AnswerCacheDay, variables)).toEqual(first);
      costs.push(executionCalls(await admin.stats()));
    }
    const [cached, executing] = costs;
    expect(cached).toBe(0);
    expect(executing).toBeGreaterThan(0);
  });

  it('never keeps an answer that read an open date', async ({ emulator, admin, openGateway }) => {
    const { ledgerId } = await emulator.ledger((ledger) => ledger.kind === 'vm' && ledger.cutoffHour === 0);
    const gateway = await openGateway({ env: noLocalDates });
    const variables = { ledgerId, date: openDate };
    const first = await gateway.execute(AnswerCacheDay, variables);
    for (let round = 0; round < 2; round += 1) {
      await forgetUpstream(gateway);
      await admin.resetStats();
      expect(await gateway.execute(AnswerCacheDay, variables)).toEqual(first);
      expect(executionCalls(await admin.stats())).toBeGreaterThan(0);
    }
  });

  it('answers a date that closed with its late entries, as upstream has them, and keeps that answer', async ({ emulator, admin, openGateway, direct }) => {
    const { ledgerId } = await emulator.ledger((ledger) => ledger.kind === 'vm' && ledger.cutoffHour === 0);
    const gateway = await openGateway({ env: { ...noLocalDates, CACHE_OPEN_DATE_TTL_SECONDS: '0' } });
    const variables = { ledgerId, date: openDate };
    const morning = narrow((await gateway.execute(AnswerCacheDay, variables)).ledger, 'Ledger');
    try {
      await admin.setClock(later);
      const sales = await direct.sales.forDate(ledgerId, openDate);
      // The first answer after closing may read the Sales date before the gateway knows it final.
      await gateway.execute(AnswerCacheDay, variables);
      const closed = narrow((await gateway.execute(AnswerCacheDay, variables)).ledger, 'Ledger');
      const page = present(closed.sales, 'sales');
      expect(page.totalCount).toBe(sales.length);
      expect(page.totalCount).toBeGreaterThan(present(morning.sales, 'sales').totalCount);
      const first = sales.slice(0, page.edges.length);
      expect(page.edges.map(({ node }) => [node.pspReference, node.gross?.minorUnits ?? null])).toEqual(first.map((sale) => [sale.pspReference, sale.amounts.gross]));
      // The joins as a gateway without the answer cache makes them now.
      const executing = await openGateway({ env: { ANSWER_CACHE: 'false' } });
      expect(narrow((await executing.execute(AnswerCacheDay, variables)).ledger, 'Ledger')).toEqual(closed);
      await forgetUpstream(gateway);
      await admin.resetStats();
      expect(narrow((await gateway.execute(AnswerCacheDay, variables)).ledger, 'Ledger')).toEqual(closed);
      expect(executionCalls(await admin.stats())).toBe(0);
    } finally {
      await admin.setClock(testNow);
    }
  });

  it('serves an answer only to the credential and roles it was made for', async ({ emulator, admin, openGateway }) => {
    const { ledgerId } = await emulator.ledger((ledger) => ledger.kind === 'vm' && ledger.cutoffHour === 0);
    const gateway = await openGateway({ env: { ...noLocalDates, TENANTS_FILE: await tenantsFile(ledgerId) } });
    const variables = { ledgerId, date: closedDate };
    await gateway.execute(AnswerCacheOwner, variables, auth(keys.details));
    const owner = await gateway.request(AnswerCacheOwner, variables, auth(keys.details));
    expect(owner.errors).toEqual([]);
    const ledger = narrow(owner.data?.ledger, 'Ledger');
    expect(present(ledger.owner, 'owner').identifier).not.toBe('');

    // The tenant without the role is refused the field, however often the answer with it was given.
    let attempts = 0;
    for (let round = 0; round < 3; round += 1) {
      const refused = await gateway.request(AnswerCacheOwner, variables, auth(keys.plain));
      attempts += 1;
      expect(refused.errors.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(narrow(refused.data?.ledger, 'Ledger').owner).toBeNull();
    }
    expect(attempts).toBe(3);

    // The same tenant's other key executes on its own (upstream calls), the first key is answered from the cache.
    await forgetUpstream(gateway);
    await admin.resetStats();
    expect((await gateway.request(AnswerCacheOwner, variables, auth(keys.detailsOther))).data).toEqual(owner.data);
    expect(executionCalls(await admin.stats())).toBeGreaterThan(0);
    await forgetUpstream(gateway);
    await admin.resetStats();
    expect((await gateway.request(AnswerCacheOwner, variables, auth(keys.details))).data).toEqual(owner.data);
    expect(executionCalls(await admin.stats())).toBe(0);
  });

  it('counts a kept answer in the tenant\'s budget and writes its access line', async ({ emulator, openGateway }) => {
    const { ledgerId } = await emulator.ledger((ledger) => ledger.kind === 'vm' && ledger.cutoffHour === 0);
    const logger = recordingLogger();
    const gateway = await openGateway({ logger, env: { ANSWER_CACHE: 'true', TENANTS_FILE: await tenantsFile(ledgerId) } });
    const variables = { ledgerId, date: closedDate };
    const answers = [];
    for (let sent = 0; sent <= limitedRequests; sent += 1) answers.push(await gateway.request(AnswerCacheDay, variables, auth(keys.limited)));
    const [first, ...rest] = answers;
    const last = rest.pop();
    for (const answer of rest) expect(answer.data).toEqual(first?.data);
    expect(last?.status).toBe(429);
    expect(last?.errors.map((error) => error.extensions?.code)).toEqual(['RATE_LIMITED']);
    const lines = logger.at('info').filter((line) => line.msg === 'access');
    expect(lines.map((line) => [line.fields.tenant, line.fields.status, line.fields.outcome])).toEqual([
      ...Array.from({ length: limitedRequests }, () => ['limited', 200, 'ok']),
      ['limited', 429, 'refused'],
    ]);
    // Kept answers name what they hold, as the executions that made them did.
    const executed = lines[0]?.fields;
    for (const line of lines.slice(1, limitedRequests)) {
      expect(line.fields.ledgers).toEqual(executed?.ledgers);
      expect(line.fields.dates).toBe(executed?.dates);
      expect(line.fields.upstreamCalls).toBe(0);
    }
    expect(executed?.ledgers).toEqual([ledgerId]);
  });

  it('shares answers between replicas on one Redis, under the cache prefix, within the size cap', async ({ emulator, admin, redis, openGateway }) => {
    const { ledgerId } = await emulator.ledger((ledger) => ledger.kind === 'vm' && ledger.cutoffHour === 0);
    const variables = { ledgerId, date: closedDate };
    const [first, second] = [await openGateway({ redis, env: noLocalDates }), await openGateway({ redis, env: noLocalDates })];
    await first.execute(AnswerCacheDay, variables);
    const answer = await first.execute(AnswerCacheDay, variables);
    const inspect = createClient({ url: redis.url });
    await inspect.connect();
    try {
      const stored: string[] = [];
      for await (const batch of inspect.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 500 })) stored.push(...batch);
      const answers = stored.filter((key) => key.startsWith(`${keyPrefix}${first.upstream.fingerprint}:answers:`));
      expect(answers).toHaveLength(1);
      // Everything else (dates, ledger list, token) goes: the second replica could only execute upstream.
      for (const key of stored.filter((candidate) => !answers.includes(candidate))) await inspect.del(key);
      await admin.resetStats();
      expect(await second.execute(AnswerCacheDay, variables)).toEqual(answer);
      expect(executionCalls(await admin.stats())).toBe(0);

      // An answer past the size cap is not kept: the same request on a small cap executes again.
      const capped = await openGateway({ redis, env: { ...noLocalDates, ANSWER_CACHE_MAX_ENTRY_BYTES: '1024' } });
      const otherDate = { ledgerId, date: '2026-05-17' };
      await capped.execute(AnswerCacheDay, otherDate);
      await capped.execute(AnswerCacheDay, otherDate);
      const after: string[] = [];
      for await (const batch of inspect.scanIterator({ MATCH: `${keyPrefix}*:answers:*`, COUNT: 500 })) after.push(...batch);
      expect(after).toEqual(answers);
    } finally {
      await inspect.close();
    }
  });

  it('executes concurrent requests of one answer once, and answers the others from it', async ({ emulator, openGateway }) => {
    const { ledgerId } = await emulator.ledger((ledger) => ledger.kind === 'vm' && ledger.cutoffHour === 0);
    const logger = recordingLogger();
    const gateway = await openGateway({ logger, env: noLocalDates });
    const variables = { ledgerId, date: closedDate };
    // Another document over the same dates: afterwards the gateway knows the Report date closed
    // and the Sales date final, so the first execution of the day's document is kept.
    await gateway.execute(AnswerCacheOwner, variables);
    const concurrent = 8;
    const answers = await Promise.all(Array.from({ length: concurrent }, () => gateway.request(AnswerCacheDay, variables)));
    for (const answer of answers) {
      expect(answer.errors).toEqual([]);
      expect(answer.data).toEqual(answers[0]?.data);
    }
    // Upstream reads are single-flighted below the answers as well, so what tells one execution
    // from eight is the access line: one executed, the others answered from its answer.
    const lines = accessLines(logger, 'AnswerCacheDay');
    expect(lines.map((line) => line.fields.answered).sort()).toEqual(['executed', ...Array.from({ length: concurrent - 1 }, () => 'kept')]);
  });

  it('refuses a kept answer to a caller whose grant no longer covers its ledger (tenants file reloaded)', async ({ emulator, openGateway }) => {
    const { ledgerId } = await emulator.ledger((ledger) => ledger.kind === 'vm' && ledger.cutoffHour === 0);
    const other = await emulator.ledger((ledger) => ledger.ledgerId !== ledgerId);
    const path = await tenantsFile(ledgerId);
    const logger = recordingLogger();
    const gateway = await openGateway({ logger, env: { ...noLocalDates, TENANTS_FILE: path } });
    const variables = { ledgerId, date: closedDate };
    // The first answer may read the Sales date before its Report date is known closed: the second is kept.
    await gateway.execute(AnswerCacheDay, variables, auth(keys.plain));
    await gateway.execute(AnswerCacheDay, variables, auth(keys.plain));
    const kept = await gateway.request(AnswerCacheDay, variables, auth(keys.plain));
    expect(narrow(kept.data?.ledger, 'Ledger').sales?.totalCount).toBeGreaterThan(0);
    expect(accessLines(logger, 'AnswerCacheDay').at(-1)?.fields.answered).toBe('kept');

    await tenantsFile(ledgerId, path, [other.ledgerId]);
    expect(await present(gateway.runtime.tenants, 'tenants').reload(logger)).toBe(true);
    const revoked = await gateway.request(AnswerCacheDay, variables, auth(keys.plain));
    expect(revoked.data?.ledger?.__typename).toBe('NotFoundError');
    expect(accessLines(logger, 'AnswerCacheDay').at(-1)?.fields.answered).toBe('executed');
    // The tenant that keeps the grant is still answered from the cache.
    await gateway.request(AnswerCacheDay, variables, auth(keys.details));
    expect((await gateway.request(AnswerCacheDay, variables, auth(keys.details))).data).toEqual(kept.data);
    expect(accessLines(logger, 'AnswerCacheDay').at(-1)?.fields.answered).toBe('kept');
  });

  it('answers again from upstream when the ledger list changed: a ledger gone or its details changed', async ({ emulator, admin, openGateway }) => {
    const { ledgerId } = await emulator.ledger((ledger) => ledger.kind === 'vm' && ledger.cutoffHour === 0);
    const logger = recordingLogger();
    const gateway = await openGateway({ logger, env: noLocalDates });
    const variables = { ledgerId, date: closedDate };
    await gateway.execute(AnswerCacheOwner, variables);
    const kept = await gateway.execute(AnswerCacheOwner, variables);
    const listKey = ledgerListKey(gateway.upstream.fingerprint, null);
    const list = await gateway.upstream.report.ledgers();
    const cache = gateway.runtime.cache;
    const original = present(list.find((ledger) => ledger.ledgerId === ledgerId), 'ledger');

    // The gateway's cached list says the ledger's owner changed: the kept answer no longer holds.
    const newOwner = { scheme: original.owner?.scheme ?? 'business:NO:ORG', id: '999999999' };
    await cache.set(listKey, JSON.stringify(list.map((ledger) => (ledger.ledgerId === ledgerId ? { ...ledger, owner: newOwner } : ledger))), 60);
    await admin.resetStats();
    const changed = narrow((await gateway.execute(AnswerCacheOwner, variables)).ledger, 'Ledger');
    expect(present(changed.owner, 'owner').identifier).not.toBe(present(narrow(kept.ledger, 'Ledger').owner, 'owner').identifier);
    expect(present(changed.owner, 'owner').identifier).toContain('999999999');
    expect(accessLines(logger, 'AnswerCacheOwner').at(-1)?.fields.answered).toBe('executed');

    // The ledger is gone from the list (the grant to the accounting keys revoked): not found, never the kept answer.
    await cache.set(listKey, JSON.stringify(list.filter((ledger) => ledger.ledgerId !== ledgerId)), 60);
    for (let round = 0; round < 2; round += 1) {
      expect((await gateway.execute(AnswerCacheOwner, variables)).ledger?.__typename).toBe('NotFoundError');
      expect(accessLines(logger, 'AnswerCacheOwner').at(-1)?.fields.answered).toBe(round === 0 ? 'executed' : 'kept');
    }

    // Back as it was: the answer of the list as it is now.
    await cache.set(listKey, JSON.stringify(list), 60);
    expect(await gateway.execute(AnswerCacheOwner, variables)).toEqual(kept);
  });
});

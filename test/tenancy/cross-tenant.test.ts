import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, vi } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import { graphql } from '../gql/index.ts';
import type { GraphClient } from '../support/graphql.ts';
import { routes } from '../support/routes.ts';
import { runCampaign } from './campaign.ts';
import type { FuzzCaller } from './fuzz.ts';
import { audience, signingKey, signToken } from './issuer.ts';
import { unionOf, valuesByLedger, type Values } from './ownership.ts';
import { fuzzDates } from './probes.ts';
import { configuredBudgets, test } from './replicas.ts';
import { bearer, tenantsOf, writeTenantsFile, type SuiteTenant } from './world.ts';

/**
 * Tenancy across real processes: two gateway replicas (`src/main.ts`) on one Redis, in front of
 * the emulator over HTTP. Two merchants, a merchant's end user whose JWT narrows its ledgers and
 * an accounting firm on another partner's keys try each other's ledgers through every entry
 * point; callers without a valid identity, a revoked key, and the budgets shared by the replicas.
 */

const LedgerCount = graphql(`
  query TenantLedgerCount {
    ledgers(first: 1) {
      totalCount
    }
  }
`);

const LedgerDate = graphql(`
  query TenantLedgerDate($id: String!, $date: Date!) {
    ledger(id: $id) {
      __typename
      ... on Ledger {
        moneyMovements(date: $date, first: 1) {
          isClosed
        }
        sales(date: $date, first: 1) {
          totalCount
        }
      }
    }
  }
`);

const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

/** A document to every replica in turn, `count` of them at once; the answers in sending order. */
function spread<Answer>(clients: readonly GraphClient[], count: number, send: (client: GraphClient) => Promise<Answer>): Promise<Answer[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => send(clients[index % clients.length]!)));
}

describe('one tenant never sees, counts or makes the gateway fetch another tenant’s ledgers', () => {
  test('a seeded fuzz of foreign keys through every entry point, over both replicas, after the owners warmed every cache', async ({
    replicas,
    admin,
    openUpstream,
  }) => {
    const { world, clients, signer } = replicas;
    const nordiskUpstream = openUpstream({ partner: world.nordiskPartner });
    const nordiskLedgers = (await nordiskUpstream.report.ledgers()).map((ledger) => ledger.ledgerId);
    const endUserLedgers = world.kafe.ledgers.filter((_, index) => index % 2 === 0);
    const endUserJwt = await signToken(signer, { tenant: world.kafe.id, sub: 'kafe-end-user', ledgers: endUserLedgers }, { exp: inSeconds(900) });
    // Its ledgers, counted by both replicas (each fetches the provider's keys now, once).
    for (const client of clients) expect((await client.request(LedgerCount, {}, bearer(endUserJwt))).data).toEqual({ ledgers: { totalCount: endUserLedgers.length } });

    // Whose is every value on the dates the fuzz reads, from upstream's raw answers.
    const [byMerchantLedger, byNordiskLedger] = await Promise.all([
      valuesByLedger(openUpstream(), [...world.kafe.ledgers, ...world.butikk.ledgers], fuzzDates.from, fuzzDates.to),
      valuesByLedger(nordiskUpstream, nordiskLedgers, fuzzDates.from, fuzzDates.to),
    ]);
    const caller = (name: string, headers: Record<string, string>, ledgers: readonly string[], byLedger: ReadonlyMap<string, Values>): FuzzCaller => ({
      name,
      headers,
      ledgers: new Set(ledgers),
      own: unionOf(ledgers.flatMap((ledgerId) => byLedger.get(ledgerId) ?? [])),
    });

    const { findings, foreignOnlyAttempts, foreignOnlyCalls, mixedCalls } = await runCampaign({
      clients,
      admin,
      callers: [
        caller('kafe', bearer(world.kafe.key), world.kafe.ledgers, byMerchantLedger),
        caller('butikk', bearer(world.butikk.key), world.butikk.ledgers, byMerchantLedger),
        caller('nordisk', bearer(world.nordisk.key), nordiskLedgers, byNordiskLedger),
        caller('kafe end user', bearer(endUserJwt), endUserLedgers, byMerchantLedger),
      ],
      everyLedger: world.ledgers,
      seed: 20_260_520,
      foreignOnly: 2_000,
      mixed: 550,
      inFlight: 4,
    });

    console.info(
      `cross-tenant fuzz: ${findings.attempts} attempts (${foreignOnlyAttempts} in documents of foreign keys alone) in ${findings.documents} ` +
        `documents from 4 callers over 2 replicas; ${findings.valuesChecked} values checked, foreign ones: ${JSON.stringify(findings.foreignValues)}; ` +
        `upstream calls for the foreign-only documents: ${foreignOnlyCalls.total}, for the mixed ones: ${mixedCalls.total} ` +
        `(lookups on the callers' own ledgers: ${JSON.stringify(mixedCalls.routes)})`,
    );
    expect(findings.failed).toEqual([]);
    expect(findings.foreignValues).toEqual({});
    expect(findings.unlikeUnknown.slice(0, 3)).toEqual([]);
    expect(findings.unlikeOwn.slice(0, 3)).toEqual([]);
    expect(findings.attempts).toBeGreaterThanOrEqual(10_000);
    expect(foreignOnlyCalls).toEqual({ total: 0, routes: {} });
    // What the mixed documents read upstream is the lookups on the callers' own ledgers, which are never cached.
    expect(Object.keys(mixedCalls.routes).sort()).toEqual([routes.salesByPspReference, routes.salesByReference].sort());
  }, 120_000);
});

describe('who may call', () => {
  test('no identity, or one that is not valid: 401 with a challenge, the reason only in the log, nothing read', async ({ replicas, admin }) => {
    const { world, clients, processes, signer } = replicas;
    const forger = await signingKey(signer.kid);
    const tenant = world.kafe.id;
    const refused: [string, Record<string, string>, string][] = [
      ['no Authorization', {}, 'no Authorization header'],
      ['not a bearer token', { authorization: 'Basic a2FmZTprZXk=' }, 'Authorization is not "Bearer <token>"'],
      ['an unknown API key', bearer('rgw_test_nobody_at_all'), 'unknown API key'],
      ['a forged JWT', bearer(await signToken(forger, { tenant })), 'JWT refused: signature does not verify'],
      ['an expired JWT', bearer(await signToken(signer, { tenant }, { exp: inSeconds(-120) })), 'JWT refused: expired'],
      ['a JWT for another audience', bearer(await signToken(signer, { tenant }, { aud: `${audience}-other` })), 'JWT refused: claim aud'],
      ['a JWT of another issuer', bearer(await signToken(signer, { tenant }, { iss: 'https://evil.example.test/' })), 'JWT refused: claim iss'],
      ['a JWT naming no tenant', bearer(await signToken(signer, { tenant: 'nobody' })), 'JWT names no known tenant'],
    ];
    await admin.resetStats();
    for (const [what, headers, reason] of refused) {
      for (const [index, client] of clients.entries()) {
        const answer = await client.request(LedgerCount, {}, headers);
        expect({ what, status: answer.status, data: answer.data, code: answer.errors[0]?.extensions?.code }).toEqual({
          what,
          status: 401,
          data: null,
          code: 'UNAUTHENTICATED',
        });
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="[\w-]+"/);
        expect(answer.errors[0]?.message).not.toContain(reason);
        const requestId = answer.headers.get('x-request-id');
        const logged = await processes[index]!.waitForLog((line) => line.requestId === requestId && line.msg.startsWith('request refused'));
        expect(logged.reason).toEqual(expect.stringContaining(reason));
      }
    }
    expect(await admin.stats()).toEqual({ total: 0, routes: {} });
    // The same tenant with a valid token is served.
    const valid = await clients[1].request(LedgerCount, {}, bearer(await signToken(signer, { tenant })));
    expect(valid.data).toEqual({ ledgers: { totalCount: world.kafe.ledgers.length } });
  });

  test('a revoked API key is refused after SIGHUP, its replacement works, and a request in flight finishes', async ({ replicas, admin }) => {
    const { world, clients, processes, tenantsFile } = replicas;
    const { portal } = world;
    const replaced: SuiteTenant = { ...portal, key: 'rgw_test_portal_new_Wd2Lr9Ox4Bk1' };
    const [ledgerId = ''] = portal.ledgers;
    for (const client of clients) expect((await client.request(LedgerCount, {}, bearer(portal.key))).status).toBe(200);

    // A cold Sales date that answers slowly: the request is in flight while the tenants reload.
    await admin.setFaults({ routes: { [routes.salesDate]: { latencyMs: 1_500 } } });
    try {
      await admin.resetStats();
      const inFlight = clients[0].request(LedgerDate, { id: ledgerId, date: '2026-04-02' }, bearer(portal.key));
      await vi.waitFor(async () => expect((await admin.stats()).routes[routes.salesDate]).toBe(1), { timeout: 5_000, interval: 50 });

      await writeTenantsFile(tenantsFile, tenantsOf(world).map((tenant) => (tenant.id === portal.id ? replaced : tenant)));
      const marks = processes.map((process) => process.lines.length);
      for (const process of processes) process.child.kill('SIGHUP');
      await Promise.all(processes.map((process, index) => process.waitForLog((line) => line.msg === 'tenants reloaded', marks[index])));

      for (const client of clients) {
        expect((await client.request(LedgerCount, {}, bearer(portal.key))).status).toBe(401);
        expect((await client.request(LedgerCount, {}, bearer(replaced.key))).data).toEqual({ ledgers: { totalCount: 1 } });
      }
      const finished = await inFlight;
      expect({ status: finished.status, errors: finished.errors }).toEqual({ status: 200, errors: [] });
      expect(finished.data?.ledger).toMatchObject({ __typename: 'Ledger', sales: { totalCount: expect.any(Number) } });
    } finally {
      await admin.setFaults({});
    }
  });
});

describe('budgets per tenant, shared by the replicas', () => {
  test('twice the requests a minute allows, spread over both replicas at once: exactly the budget is served', async ({ replicas, admin }) => {
    const { world, clients } = replicas;
    const allowed = configuredBudgets.requestsPerMinute;
    await admin.resetStats();
    const answers = await spread(clients, 2 * allowed, (client) => client.request(LedgerCount, {}, bearer(world.burst.key)));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(allowed);
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited).toHaveLength(allowed);
    for (const answer of limited) {
      expect(answer.errors[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'requests' });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    }
    // The served ones read the cached ledger list; the refused ones nothing.
    expect((await admin.stats()).total).toBe(0);
  });

  test('the upstream calls a minute allows, over both replicas in turn: served while some are left, then refused without a call', async ({
    replicas,
    admin,
  }) => {
    const { world, clients } = replicas;
    const [ledgerId = ''] = world.budget.ledgers;
    const seen: { status: number; spentBefore: number; spentAfter: number }[] = [];
    await admin.resetStats();
    // Each request reads dates no one read before (funds and Sales); the emulator counts what it cost.
    for (let day = 0; day < configuredBudgets.upstreamCallsPerMinute + 2; day++) {
      const spentBefore = seen.at(-1)?.spentAfter ?? 0;
      const client = clients[day % clients.length]!;
      const { status } = await client.request(LedgerDate, { id: ledgerId, date: addDays('2026-04-10', day) }, bearer(world.budget.key));
      seen.push({ status, spentBefore, spentAfter: (await admin.stats()).total });
    }
    const admitted = ({ spentBefore }: { spentBefore: number }) => spentBefore < configuredBudgets.upstreamCallsPerMinute;
    expect(seen.map(({ status }) => status)).toEqual(seen.map((request) => (admitted(request) ? 200 : 429)));
    expect(seen.filter((request) => !admitted(request)).length).toBeGreaterThan(0);
    for (const request of seen.filter((one) => !admitted(one))) expect(request.spentAfter).toBe(request.spentBefore);
  });

  test('with Redis gone, each replica counts for itself and still answers', async ({ replicas, redis }) => {
    const { world, clients } = replicas;
    const allowed = configuredBudgets.requestsPerMinute;
    await redis.kill('SIGKILL');
    for (const client of clients) {
      const answers = [];
      for (let request = 0; request <= allowed; request++) answers.push(await client.request(LedgerCount, {}, bearer(world.burst.key)));
      expect(answers.map((answer) => answer.status)).toEqual([...Array<number>(allowed).fill(200), 429]);
      expect(answers[0]?.data).toEqual({ ledgers: { totalCount: 1 } });
    }
  });
});

describe('the identity provider', () => {
  test('rotates its signing key: a token of the new key is taken once the JWKS names it', async ({ replicas }) => {
    const { world, clients, jwks, signer } = replicas;
    const next = await signingKey('second', 'RS256');
    jwks.keys = [signer.publicJwk, next.publicJwk];
    // The gateway fetches the JWKS again for an unknown key id, but not within 30 s of the last fetch.
    await sleep(Math.max(0, jwks.lastFetchAt + 31_000 - Date.now()));
    for (const client of clients) {
      const answer = await client.request(LedgerCount, {}, bearer(await signToken(next, { tenant: world.kafe.id })));
      expect(answer.data).toEqual({ ledgers: { totalCount: world.kafe.ledgers.length } });
    }
  }, 60_000);
});

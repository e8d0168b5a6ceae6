import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import { syncOptions } from '../../src/sync/mirror.ts';
import { syncPass } from '../../src/sync/syncer.ts';
import { graphql } from '../gql/index.ts';
import { today } from '../support/clock.ts';
import type { ComposedGateway } from '../support/gateway.ts';
import { it } from '../support/harness.ts';
import { writeTenantsFile, type SuiteTenant } from '../tenancy/world.ts';
import { subscribe, type Subscriber } from './sse.ts';

/**
 * Live updates across replicas: two gateways composed as `npm start` composes them, sharing one
 * real redis-server, in front of the emulator over HTTP. The first runs the feed sync (as a
 * gateway with `SYNC_IN_PROCESS` does); subscribers hold Server-Sent Event streams on the
 * second. A date closes when the emulator's clock passes midnight, and what arrives is checked
 * against the emulator's own date endpoints.
 */

const DateClosed = graphql(`
  subscription LiveDateClosed($ledgerIds: [String!]!, $since: String) {
    ledgerDateClosed(ledgerIds: $ledgerIds, since: $since) {
      ledgerId
      date
      closingBalance {
        minorUnits
        currency
      }
      cursor
    }
  }
`);

const PayoutScheduled = graphql(`
  subscription LivePayoutScheduled($ledgerIds: [String!]!) {
    payoutScheduled(ledgerIds: $ledgerIds) {
      ledgerId
      date
      payout {
        payoutId
        amount {
          minorUnits
        }
      }
    }
  }
`);

const url = 'http://localhost/graphql';
const kafe: SuiteTenant & { ledgers: string[] } = { id: 'kafe', key: 'rgw_test_live_kafe_Q3m8Zr2Wx7', ledgers: [] };
const butikk: SuiteTenant & { ledgers: string[] } = { id: 'butikk', key: 'rgw_test_live_butikk_H6t1Np4Vc9', ledgers: [] };
const auth = (tenant: SuiteTenant) => ({ authorization: `Bearer ${tenant.key}` });

/** Noon, `days` after the test clock's date: the dates before it are closed. */
const noonAfter = (days: number) => `${addDays(today, days)}T12:00:00Z`;

describe('live updates across replicas', () => {
  let folder = '';
  let syncing: ComposedGateway;
  let serving: ComposedGateway;
  const open: Array<Subscriber<unknown>> = [];

  it.beforeAll(async ({ emulator, redis, openGateway }) => {
    const daily = (await emulator.grantedLedgers()).filter((ledger) => ledger.settlement === 'daily' && !ledger.busiest && ledger.kind === 'vm');
    const [first, second] = daily;
    if (first === undefined || second === undefined) throw new Error('the emulator should have two daily-settled VM ledgers granted');
    kafe.ledgers = [first.ledgerId];
    butikk.ledgers = [second.ledgerId];
    folder = await mkdtemp(join(tmpdir(), 'rgw-live-'));
    const tenantsFile = join(folder, 'tenants.json');
    await writeTenantsFile(tenantsFile, [kafe, butikk]);
    const env = { TENANTS_FILE: tenantsFile, LIVE_MAX_SUBSCRIPTIONS_PER_TENANT: '3' };
    syncing = await openGateway({ redis, env });
    serving = await openGateway({ redis, env });
    await sync();
  });

  afterAll(async () => {
    for (const subscriber of open) subscriber.close();
    await rm(folder, { recursive: true, force: true });
  });

  /** One sync pass of the two ledgers in the syncing replica, as its in-process sync makes them. */
  async function sync(): Promise<void> {
    const { config, upstream, mirror, logger, live } = syncing.runtime;
    if (mirror === null) throw new Error('the gateway should have a mirror');
    const report = await syncPass({ ...syncOptions(config, upstream, mirror.store, logger, live), ledgerIds: [...kafe.ledgers, ...butikk.ledgers], minPollIntervalMs: 0 });
    expect(report.failed).toBe(0);
  }

  async function listen<R, V>(document: Parameters<typeof subscribe<R, V>>[2], variables: V, tenant: SuiteTenant, gateway = serving) {
    const subscriber = await subscribe(gateway.yoga.fetch, url, document, variables, auth(tenant));
    open.push(subscriber);
    return subscriber;
  }

  it('tells a subscriber on another replica of a closed date, with its closing balance, and each tenant only of its ledgers', async ({ admin, direct }) => {
    const [ledgerId = ''] = kafe.ledgers;
    const kafeDates = await listen(DateClosed, { ledgerIds: kafe.ledgers }, kafe);
    const butikkDates = await listen(DateClosed, { ledgerIds: butikk.ledgers }, butikk);
    const kafePayouts = await listen(PayoutScheduled, { ledgerIds: kafe.ledgers }, kafe);
    // An adversary: the other tenant's ledger, alone and hidden among its own.
    const foreign = await listen(DateClosed, { ledgerIds: kafe.ledgers }, butikk);
    const mixed = await listen(DateClosed, { ledgerIds: [...butikk.ledgers, ...kafe.ledgers] }, butikk);
    for (const refused of [foreign, mixed]) {
      await refused.waitFor(1);
      expect(refused.results[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(refused.results[0]?.data ?? null).toBeNull();
    }

    await admin.setClock(noonAfter(1));
    await sync();
    await Promise.all([kafeDates.waitFor(1), butikkDates.waitFor(1), kafePayouts.waitFor(1)]);

    const closed = await direct.report.forDate(ledgerId, 'funds', today);
    expect(closed.isClosed).toBe(true);
    const last = closed.entries.at(-1);
    expect(kafeDates.results.map((result) => result.data)).toEqual([
      {
        ledgerDateClosed: {
          ledgerId,
          date: today,
          closingBalance: { minorUnits: last?.balanceAfter, currency: last?.currency },
          cursor: expect.any(String),
        },
      },
    ]);
    const payoutEntry = closed.entries.find((entry) => entry.entryType === 'payout-scheduled');
    expect(payoutEntry).toBeDefined();
    expect(kafePayouts.results.map((result) => result.data)).toEqual([
      { payoutScheduled: { ledgerId, date: today, payout: { payoutId: payoutEntry?.pspReference, amount: { minorUnits: -(payoutEntry?.amount ?? 0) } } } },
    ]);
    expect(butikkDates.results.map((result) => result.data?.ledgerDateClosed.ledgerId)).toEqual(butikk.ledgers);

    // Another closing, then a moment for anything stray to arrive: each still heard only its own.
    await admin.setClock(noonAfter(2));
    await sync();
    await Promise.all([kafeDates.waitFor(2), butikkDates.waitFor(2)]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(kafeDates.results.map((result) => [result.data?.ledgerDateClosed.ledgerId, result.data?.ledgerDateClosed.date])).toEqual([
      [ledgerId, today],
      [ledgerId, addDays(today, 1)],
    ]);
    expect(butikkDates.results.every((result) => result.data?.ledgerDateClosed.ledgerId === butikk.ledgers[0])).toBe(true);
    expect(butikkDates.results).toHaveLength(2);
    for (const subscriber of [kafeDates, butikkDates, kafePayouts]) subscriber.close();
  });

  it('replays what a subscriber missed while disconnected, then goes on live, telling each date once', async ({ admin }) => {
    const [ledgerId = ''] = kafe.ledgers;
    const first = await listen(DateClosed, { ledgerIds: kafe.ledgers }, kafe);
    await admin.setClock(noonAfter(3));
    await sync();
    await first.waitFor(1);
    const cursor = first.results[0]?.data?.ledgerDateClosed.cursor;
    expect(first.results[0]?.data?.ledgerDateClosed.date).toBe(addDays(today, 2));
    first.close();

    // Two dates close while it is away.
    await admin.setClock(noonAfter(5));
    await sync();
    const resumed = await listen(DateClosed, { ledgerIds: kafe.ledgers, since: cursor ?? null }, kafe);
    await resumed.waitFor(2);
    await admin.setClock(noonAfter(6));
    await sync();
    await resumed.waitFor(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(resumed.results.map((result) => [result.data?.ledgerDateClosed.ledgerId, result.data?.ledgerDateClosed.date])).toEqual([
      [ledgerId, addDays(today, 3)],
      [ledgerId, addDays(today, 4)],
      [ledgerId, addDays(today, 5)],
    ]);
    resumed.close();
  });

  it('counts open subscriptions against the tenant, and frees one when its stream closes', async () => {
    const held = await Promise.all([1, 2, 3].map(() => listen(DateClosed, { ledgerIds: kafe.ledgers }, kafe)));
    const refused = await listen(DateClosed, { ledgerIds: kafe.ledgers }, kafe);
    await refused.waitFor(1);
    expect(refused.results[0]?.errors?.[0]?.extensions?.code).toBe('SUBSCRIPTION_LIMIT');
    // Another tenant's budget is its own; another replica counts its own streams.
    const other = await listen(DateClosed, { ledgerIds: butikk.ledgers }, butikk);
    expect(other.status).toBe(200);
    held[0]?.close();
    await expect.poll(async () => {
      const again = await listen(DateClosed, { ledgerIds: kafe.ledgers }, kafe);
      await new Promise((resolve) => setTimeout(resolve, 100));
      again.close();
      return again.results.length === 0 && !again.ended();
    }, { timeout: 10_000, interval: 200 }).toBe(true);
    for (const subscriber of [...held, other]) subscriber.close();
  });

  it('asks a subscription for the same credentials, browser checks and documents as a query', async () => {
    const anonymous = await subscribe(serving.yoga.fetch, url, DateClosed, { ledgerIds: kafe.ledgers });
    expect(anonymous.status).toBe(401);
    anonymous.close();
    // A document in a URL is a link any page can make: not even a subscription travels by GET.
    const query = encodeURIComponent('subscription { ledgerDateClosed(ledgerIds: ["x"]) { date } }');
    const byGet = await serving.yoga.fetch(`${url}?query=${query}`, { headers: { accept: 'text/event-stream', ...auth(kafe) } });
    expect(byGet.status).toBe(405);
    const malformed = await listen(DateClosed, { ledgerIds: ['not a ledger id'] }, kafe);
    await malformed.waitFor(1);
    expect(malformed.results[0]?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});


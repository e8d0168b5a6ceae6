import { describe, expect } from 'vitest';
import type { EmulatorAdmin } from '../../src/emulator/admin-client.ts';
import type { Upstream } from '../../src/sources/index.ts';
import { feeds } from '../../src/sync/keys.ts';
import { syncPass } from '../../src/sync/syncer.ts';
import { today } from '../support/clock.ts';
import { it } from '../support/harness.ts';
import { calls, routes } from '../support/routes.ts';
import { expectMirrorExact, firstLedgerDates, mirrorRig, type MirrorRig } from './support.ts';

/** A sync pass against the emulator: exact, incremental, and patient with tryLater and 429s. */

const feedRoutes = [routes.reportFeed, routes.salesFeed];

it.override('emulatorOptions', { reportPageSize: 200 });

describe('the feed sync', () => {
  let admin: EmulatorAdmin;
  let rig: MirrorRig;
  /** What the date endpoints say, read apart from the sync. */
  let direct: Upstream;
  let firstDates: Map<string, string>;
  // The second demo partner: two ledgers, one of them granted to the first partner too.
  let ledgerIds: string[];
  const feedCalls = async () => (await Promise.all(feedRoutes.map((route) => calls(admin, route)))).reduce((a, b) => a + b, 0);
  const expectExact = async (lastDate: string) => {
    for (const ledgerId of ledgerIds) await expectMirrorExact(rig.store, direct, ledgerId, firstDates.get(ledgerId) ?? '', lastDate);
  };

  it.beforeAll(async ({ emulator, redis, openUpstream }) => {
    const partner = emulator.partners[1];
    if (partner === undefined) throw new Error('the emulator has a second partner');
    admin = emulator.admin;
    ledgerIds = partner.ledgerIds;
    rig = await mirrorRig(redis.url, openUpstream({ partner }));
    direct = openUpstream({ partner });
    firstDates = await firstLedgerDates(emulator);
  });
  it.afterAll(async () => {
    await rig.close();
  });

  it('mirrors every feed of every granted ledger exactly', async () => {
    const report = await syncPass(rig.options({ salesPageSize: 300 }));
    expect(report.failed).toBe(0);
    expect(report.ledgers).toBe(ledgerIds.length);
    expect(report.feeds.map((feed) => feed.outcome)).toEqual(report.feeds.map(() => 'caught-up'));
    expect(report.entries).toBeGreaterThan(10_000);
    await expectExact(today);
  });

  it('leaves a feed that said tryLater alone until the poll interval has passed', async () => {
    await admin.resetStats();
    const report = await syncPass(rig.options());
    expect(report.feeds.map((feed) => feed.outcome)).toEqual(report.feeds.map(() => 'waiting'));
    expect(await feedCalls()).toBe(0);
  });

  it('takes up each feed where it stopped once upstream has more', async () => {
    const before = await Promise.all(ledgerIds.map((ledgerId) => rig.store.feedEntries(direct.fingerprint, ledgerId, 'funds')));
    expect(await admin.setClock('2026-05-21T15:00:00Z')).toBe('2026-05-21T15:00:00.000Z');
    await admin.resetStats();
    const report = await syncPass(rig.options({ minPollIntervalMs: 0 }));
    expect(report.failed).toBe(0);
    // Only the new part of each feed is read: a page or two each, not the whole history again.
    expect(await feedCalls()).toBeLessThanOrEqual(ledgerIds.length * feeds.length * 3);
    await expectExact('2026-05-21');
    const after = await Promise.all(ledgerIds.map((ledgerId) => rig.store.feedEntries(direct.fingerprint, ledgerId, 'funds')));
    after.forEach((entries, index) => expect(entries.slice(0, before[index]?.length)).toEqual(before[index]));
  });

  it('waits out 429s as long as Retry-After asks, and stores every page once', async () => {
    // The smaller ledger only: each 429 costs a second.
    const ledgerId = '207779';
    await rig.store.forget(direct.fingerprint, ledgerId);
    await admin.setFaults({ seed: 'sync-429', routes: Object.fromEntries(feedRoutes.map((route) => [route, { rate429: 0.3, retryAfterSeconds: 1 }])) });
    try {
      await admin.resetStats();
      const report = await syncPass(rig.options({ ledgerIds: [ledgerId] }));
      expect(report.failed).toBe(0);
      expect(report.ledgers).toBe(1);
      const pages = report.feeds.reduce((sum, feed) => sum + feed.pages, 0);
      expect(await feedCalls()).toBeGreaterThan(pages);
    } finally {
      await admin.setFaults({});
    }
    await expectMirrorExact(rig.store, direct, ledgerId, firstDates.get(ledgerId) ?? '', '2026-05-21');
  });
});

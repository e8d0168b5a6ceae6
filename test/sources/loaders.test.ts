import { describe, expect } from 'vitest';
import type { EmulatorAdmin } from '../../src/emulator/admin-client.ts';
import { UpstreamError } from '../../src/sources/http/errors.ts';
import type { Upstream } from '../../src/sources/index.ts';
import { createReportLoaders, type DateKey } from '../../src/sources/report/loaders.ts';
import { createSalesLoaders } from '../../src/sources/sales/loaders.ts';
import { it } from '../support/harness.ts';
import { calls, routes } from '../support/routes.ts';

const busyDate = '2026-05-16';
const quietDate = '2026-05-19';

/** Report date pages of one key, learnt from a plain client walk. */
async function pagesOf(admin: EmulatorAdmin, upstream: Upstream, key: DateKey): Promise<number> {
  await admin.resetStats();
  await upstream.report.forDate(key.ledgerId, key.topic, key.date);
  return calls(admin, routes.reportDate);
}

describe('per-request loaders against the emulator', () => {
  let ledgerId: string;
  let otherLedgerId: string;

  it.beforeAll(async ({ emulator, direct }) => {
    const traits = await emulator.ledgers();
    const granted = new Set(emulator.partner.ledgerIds);
    ledgerId = traits.find((ledger) => ledger.busiest)?.ledgerId ?? '';
    otherLedgerId = traits.find((ledger) => !ledger.busiest && ledger.kind === 'vm' && granted.has(ledger.ledgerId))?.ledgerId ?? '';
    // Warm the token so that only data calls are counted below.
    await direct.http.tokens.get();
  });

  it('fetches one report date once for many concurrent loads of it', async ({ admin, direct }) => {
    const key: DateKey = { ledgerId, topic: 'funds', date: busyDate };
    const pages = await pagesOf(admin, direct, key);
    expect(pages).toBeGreaterThan(1);

    await admin.resetStats();
    const { day } = createReportLoaders(direct.report);
    const days = await Promise.all(Array.from({ length: 25 }, () => day.load({ ...key })));
    expect(await calls(admin, routes.reportDate)).toBe(pages);
    expect(new Set(days).size).toBe(1);
    // A later load in the same request is served from the loader.
    await day.load({ ...key });
    expect(await calls(admin, routes.reportDate)).toBe(pages);
  });

  it('fetches each distinct report date once', async ({ admin, direct }) => {
    const keys: DateKey[] = [
      { ledgerId, topic: 'funds', date: quietDate },
      { ledgerId, topic: 'fees', date: quietDate },
      { ledgerId, topic: 'funds', date: '2026-05-18' },
      { ledgerId: otherLedgerId, topic: 'funds', date: quietDate },
    ];
    let expected = 0;
    for (const key of keys) expected += await pagesOf(admin, direct, key);
    expect(expected).toBe(keys.length);

    await admin.resetStats();
    const { day } = createReportLoaders(direct.report);
    const days = await Promise.all([...keys, ...keys].map((key) => day.load(key)));
    expect(await calls(admin, routes.reportDate)).toBe(expected);
    expect(days.map((loaded) => [loaded.ledgerId, loaded.topic, loaded.date])).toEqual(
      [...keys, ...keys].map((key) => [key.ledgerId, key.topic, key.date]),
    );
  });

  it('indexes a report date by pspReference and reference, keeping every fee of a capture', async ({ direct }) => {
    const { day } = createReportLoaders(direct.report);
    const fees = await day.load({ ledgerId, topic: 'fees', date: busyDate });
    const indexed = [...fees.byPspReference.values()].flat();
    expect(indexed).toHaveLength(fees.entries.filter((entry) => entry.pspReference).length);
    expect([...fees.byPspReference.values()].some((group) => group.length > 1)).toBe(true);
    for (const [pspReference, group] of fees.byPspReference) {
      expect(group.every((entry) => entry.pspReference === pspReference)).toBe(true);
    }
    const capture = fees.entries.find((entry) => entry.entryType === 'capture-fee');
    expect(fees.byReference.get(capture?.reference ?? '')).toContain(capture);
  });

  it('fails only the key whose fetch failed', async ({ direct }) => {
    const { day } = createReportLoaders(direct.report);
    const [good, bad] = await day.loadMany([
      { ledgerId, topic: 'funds', date: quietDate },
      { ledgerId: 'no-such-ledger', topic: 'funds', date: quietDate },
    ]);
    expect(good).toMatchObject({ ledgerId, isClosed: true });
    expect(bad).toBeInstanceOf(UpstreamError);
    expect(bad).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers every ledger of a request from one walk of the ledger list', async ({ admin, direct }) => {
    await admin.resetStats();
    await direct.report.ledgers();
    const listPages = await calls(admin, routes.ledgers);

    await admin.resetStats();
    const { ledger, ledgers } = createReportLoaders(direct.report);
    const [busy, other, unknown] = await Promise.all([ledger.load(ledgerId), ledger.load(otherLedgerId), ledger.load('no-such-ledger')]);
    const all = await ledgers.load('');
    expect(busy?.ledgerId).toBe(ledgerId);
    expect(other?.ledgerId).toBe(otherLedgerId);
    expect(unknown).toBeNull();
    expect(all.map((item) => item.ledgerId)).toContain(ledgerId);
    expect(await calls(admin, routes.ledgers)).toBe(listPages);
  });

  it('fails every ledger of a request when the list cannot be read', async ({ admin, direct }) => {
    try {
      await admin.setFaults({ routes: { [routes.ledgers]: { rate5xx: 1 } } });
      const { ledger } = createReportLoaders(direct.report);
      const results = await ledger.loadMany([ledgerId, otherLedgerId]);
      expect(results.map((result) => (result instanceof UpstreamError ? result.code : result))).toEqual([
        'UPSTREAM_UNAVAILABLE',
        'UPSTREAM_UNAVAILABLE',
      ]);
    } finally {
      await admin.setFaults({});
    }
  });

  it('fetches one sales date once per request and indexes it by pspReference', async ({ admin, direct }) => {
    await admin.resetStats();
    const { day } = createSalesLoaders(direct.sales);
    const loaded = await Promise.all([
      ...Array.from({ length: 10 }, () => day.load({ ledgerId, date: busyDate })),
      day.load({ ledgerId, date: quietDate }),
    ]);
    const busy = loaded[0];
    const quiet = loaded.at(-1);
    expect(new Set(loaded.slice(0, 10)).size).toBe(1);
    expect(busy?.entries.length).toBeGreaterThan(1000);
    expect(quiet?.entries.length).toBeGreaterThan(0);
    // Two pages of 1000 for the busy date, one for the quiet one.
    expect(await calls(admin, routes.salesDate)).toBe(Math.ceil((busy?.entries.length ?? 0) / 1000) + 1);
    for (const entry of busy?.entries ?? []) {
      if (entry.pspReference !== null) expect(busy?.byPspReference.get(entry.pspReference)).toBe(entry);
    }
  });

  it('looks sales up once per distinct pspReference and reference', async ({ admin, direct }) => {
    const sales = (await direct.sales.forDate(ledgerId, quietDate)).filter((entry) => entry.pspReference !== null).slice(0, 5);
    await admin.resetStats();
    const { byPspReference, byReference } = createSalesLoaders(direct.sales);
    const keys = sales.map((sale) => ({ ledgerId, pspReference: sale.pspReference ?? '' }));
    const found = await Promise.all([...keys, ...keys, { ledgerId, pspReference: 'no-such-psp' }].map((key) => byPspReference.load(key)));
    expect(found.slice(0, 5)).toEqual(sales);
    expect(found.at(-1)).toBeNull();
    expect(await calls(admin, routes.salesByPspReference)).toBe(6);

    const orders = await Promise.all(sales.map((sale) => byReference.load({ ledgerId, reference: sale.reference })));
    orders.forEach((order, index) => expect(order).toContainEqual(sales[index]));
    expect(await calls(admin, routes.salesByReference)).toBe(new Set(sales.map((sale) => sale.reference)).size);
  });
});

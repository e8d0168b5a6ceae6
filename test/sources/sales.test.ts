import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Upstream } from '../../src/sources/index.ts';
import type { SalesEntry } from '../../src/sources/sales/models.ts';
import { calls, startHarness, type EmulatorHarness } from './emulator.ts';
import { failureOf } from './failure.ts';

const busyDate = '2026-05-16';

describe('SalesClient against the emulator', () => {
  let harness: EmulatorHarness;
  let upstream: Upstream;
  let ledgerId: string;

  beforeAll(async () => {
    harness = await startHarness();
    upstream = harness.upstream(0);
    ledgerId = (await harness.ledgers()).find((ledger) => ledger.busiest)?.ledgerId ?? '';
  });

  afterAll(async () => {
    await harness.close();
  });

  it('joins every page of a busy date with the largest page size', async () => {
    const walked: SalesEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await upstream.sales.datePage(ledgerId, busyDate, { cursor, pageSize: 100 });
      walked.push(...page.items);
      cursor = page.hasMore ? (page.cursor ?? undefined) : undefined;
    } while (cursor !== undefined);
    expect(walked.length).toBeGreaterThan(1000);

    await harness.resetStats();
    const sales = await upstream.sales.forDate(ledgerId, busyDate);
    expect(sales).toEqual(walked);
    expect(await harness.count(calls.salesDate)).toBe(Math.ceil(walked.length / 1000));
  });

  it('looks a sale up by pspReference and its order by reference', async () => {
    const sales = await upstream.sales.forDate(ledgerId, '2026-05-19');
    const sale = sales.find((entry) => entry.pspReference !== null);
    if (sale?.pspReference == null) throw new Error('no sale with a pspReference on that date');

    expect(await upstream.sales.byPspReference(ledgerId, sale.pspReference)).toEqual(sale);
    const order = await upstream.sales.byReference(ledgerId, sale.reference);
    expect(order).toContainEqual(sale);
    expect(order.every((entry) => entry.reference === sale.reference)).toBe(true);
  });

  it('answers unknown references on a granted ledger with nothing, whatever characters they hold', async () => {
    expect(await upstream.sales.byPspReference(ledgerId, 'no-such-psp')).toBeNull();
    expect(await upstream.sales.byReference(ledgerId, 'order/42 ?#%&..')).toEqual([]);
  });

  it('refuses a reference that cannot be a path segment, without calling upstream', async () => {
    await harness.resetStats();
    for (const reference of ['..', '.', '']) {
      const error = await failureOf(upstream.sales.byReference(ledgerId, reference));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.route).toBe(calls.salesReference);
    }
    expect((await harness.stats()).total).toBe(0);
  });

  it('reads the sales feed with a page size and a cursor', async () => {
    const first = await upstream.sales.feedPage(ledgerId, { pageSize: 10 });
    expect(first.items).toHaveLength(10);
    const second = await upstream.sales.feedPage(ledgerId, { pageSize: 10, cursor: first.cursor ?? undefined });
    expect(second.items).toHaveLength(10);
    expect(second.items[0]).not.toEqual(first.items[0]);
  });

  it('maps an unknown ledger to NOT_FOUND and a page size out of range to BAD_REQUEST', async () => {
    expect((await failureOf(upstream.sales.forDate('no-such-ledger', busyDate))).code).toBe('NOT_FOUND');
    const tooLarge = await failureOf(upstream.sales.datePage(ledgerId, busyDate, { pageSize: 1001 }));
    expect(tooLarge.code).toBe('BAD_REQUEST');
    expect(tooLarge.message).toContain('pageSize');
  });
});

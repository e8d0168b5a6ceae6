import { describe, expect } from 'vitest';
import type { SalesEntry } from '../../src/sources/sales/models.ts';
import { it } from '../support/harness.ts';
import { calls, routes } from '../support/routes.ts';
import { failureOf } from './failure.ts';

const busyDate = '2026-05-16';

describe('SalesClient against the emulator', () => {
  let ledgerId: string;

  it.beforeAll(async ({ emulator }) => {
    ledgerId = (await emulator.ledgers()).find((ledger) => ledger.busiest)?.ledgerId ?? '';
  });

  it('joins every page of a busy date with the largest page size', async ({ admin, direct }) => {
    const walked: SalesEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await direct.sales.datePage(ledgerId, busyDate, { cursor, pageSize: 100 });
      walked.push(...page.items);
      cursor = page.hasMore ? (page.cursor ?? undefined) : undefined;
    } while (cursor !== undefined);
    expect(walked.length).toBeGreaterThan(1000);

    await admin.resetStats();
    const sales = await direct.sales.forDate(ledgerId, busyDate);
    expect(sales).toEqual(walked);
    expect(await calls(admin, routes.salesDate)).toBe(Math.ceil(walked.length / 1000));
  });

  it('looks a sale up by pspReference and its order by reference', async ({ direct }) => {
    const sales = await direct.sales.forDate(ledgerId, '2026-05-19');
    const sale = sales.find((entry) => entry.pspReference !== null);
    if (sale?.pspReference == null) throw new Error('no sale with a pspReference on that date');

    expect(await direct.sales.byPspReference(ledgerId, sale.pspReference)).toEqual(sale);
    const order = await direct.sales.byReference(ledgerId, sale.reference);
    expect(order).toContainEqual(sale);
    expect(order.every((entry) => entry.reference === sale.reference)).toBe(true);
  });

  it('answers unknown references on a granted ledger with nothing, whatever characters they hold', async ({ direct }) => {
    expect(await direct.sales.byPspReference(ledgerId, 'no-such-psp')).toBeNull();
    expect(await direct.sales.byReference(ledgerId, 'order/42 ?#%&..')).toEqual([]);
  });

  it('refuses a reference that cannot be a path segment, without calling upstream', async ({ admin, direct }) => {
    await admin.resetStats();
    for (const reference of ['..', '.', '']) {
      const error = await failureOf(direct.sales.byReference(ledgerId, reference));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.route).toBe(routes.salesByReference);
    }
    expect((await admin.stats()).total).toBe(0);
  });

  it('reads the sales feed with a page size and a cursor', async ({ direct }) => {
    const first = await direct.sales.feedPage(ledgerId, { pageSize: 10 });
    expect(first.items).toHaveLength(10);
    const second = await direct.sales.feedPage(ledgerId, { pageSize: 10, cursor: first.cursor ?? undefined });
    expect(second.items).toHaveLength(10);
    expect(second.items[0]).not.toEqual(first.items[0]);
  });

  it('maps an unknown ledger to NOT_FOUND and a page size out of range to BAD_REQUEST', async ({ direct }) => {
    expect((await failureOf(direct.sales.forDate('no-such-ledger', busyDate))).code).toBe('NOT_FOUND');
    const tooLarge = await failureOf(direct.sales.datePage(ledgerId, busyDate, { pageSize: 1001 }));
    expect(tooLarge.code).toBe('BAD_REQUEST');
    expect(tooLarge.message).toContain('pageSize');
  });
});

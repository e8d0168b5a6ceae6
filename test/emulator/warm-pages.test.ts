import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { salesCursor } from '../../src/emulator/api/cursors.ts';
import { dayNumber } from '../../src/emulator/data/calendar.ts';
import { startTestEmulator, type TestEmulator } from '../support/emulator.ts';
import { PartnerClient, walkSalesDate, withQuery, type LedgerTraits } from './support.ts';

/**
 * Pages of closed dates are kept serialised and served again as the same bytes. A kept page must
 * equal the page built cold, byte for byte, whatever was asked before it, and a page kept while
 * its dates were closed must not be served once the clock has reopened them.
 */

const pageModel = z.object({ cursor: z.string().optional(), hasMore: z.boolean().optional(), items: z.array(z.unknown()) }).loose();

/** A first page and the page its cursor leads to. */
async function withNextPage(client: PartnerClient, path: string, query: Record<string, string>): Promise<string[]> {
  const first = pageModel.parse(JSON.parse((await client.get(withQuery(path, query))).text));
  return first.cursor ? [withQuery(path, query), withQuery(path, { ...query, cursor: first.cursor })] : [withQuery(path, query)];
}

/** Closed and open pages of every route that serves pages, with several page sizes and cursors. */
async function pagePaths(client: PartnerClient, ledgers: LedgerTraits[]): Promise<string[]> {
  const paths: string[] = [];
  for (const { ledgerId } of ledgers) {
    const sales = `/sales/report/v1/ledgers/${ledgerId}`;
    for (const pageSize of ['7', '100', '1000']) {
      paths.push(...(await withNextPage(client, `${sales}/dates/2026-05-18`, { pageSize })));
      paths.push(...(await withNextPage(client, sales, { pageSize })));
    }
    paths.push(...(await withNextPage(client, `${sales}/dates/2026-05-20`, { pageSize: '50' })));
    for (const topic of ['funds', 'fees']) {
      const report = `/report/v2/ledgers/${ledgerId}/${topic}`;
      paths.push(...(await withNextPage(client, `${report}/dates/2026-05-18`, {})));
      paths.push(...(await withNextPage(client, `${report}/dates/2026-05-18`, { includeGDPRSensitiveData: 'true' })));
      paths.push(...(await withNextPage(client, `${report}/feed`, {})));
    }
  }
  return paths;
}

async function answers(client: PartnerClient, paths: string[]): Promise<string[]> {
  const texts: string[] = [];
  for (const path of paths) {
    const answer = await client.get(path);
    expect(answer.status, path).toBe(200);
    texts.push(answer.text);
  }
  return texts;
}

function demoClient(emulator: TestEmulator): PartnerClient {
  return new PartnerClient(emulator.url, emulator.partner);
}

describe('pages kept serialised', () => {
  const emulators: TestEmulator[] = [];

  beforeAll(async () => {
    // Small Report pages, so Report dates and the feed have cursors too.
    emulators.push(await startTestEmulator({ reportPageSize: 40 }), await startTestEmulator({ reportPageSize: 40 }));
  });
  afterAll(() => Promise.all(emulators.map((emulator) => emulator.close())));

  it('serves warm pages byte for byte as they were built cold, whatever was asked before', async () => {
    const [warm, cold] = emulators;
    if (!warm || !cold) throw new Error('emulators missing');
    const client = demoClient(warm);
    const granted = (await warm.ledgers()).filter((ledger) => ledger.grantedTo.includes(client.partner.clientId));
    const ledgers = granted.filter((ledger) => ledger.busiest || ledger.cutoffHour !== 0 || ledger.kind === 'epayment');
    expect(ledgers.length).toBeGreaterThanOrEqual(3);
    const paths = await pagePaths(client, ledgers);
    const first = await answers(client, paths);
    const again = await answers(client, paths);
    // Another emulator asked in the opposite order: a page kept under a key too coarse shows up here.
    const reversed = (await answers(demoClient(cold), [...paths].reverse())).reverse();
    expect(again).toEqual(first);
    expect(reversed).toEqual(first);
    expect(first.filter((text) => text.length > 10_000).length).toBeGreaterThan(10);
  });

  it('stops serving a page kept for closed dates once the clock reopens them', async () => {
    const [moved] = emulators;
    if (!moved) throw new Error('emulator missing');
    const client = demoClient(moved);
    const busiest = (await moved.ledgers()).find((ledger) => ledger.busiest);
    if (!busiest) throw new Error('no busiest ledger');
    const sales = `/sales/report/v1/ledgers/${busiest.ledgerId}`;
    // A feed page of 1000 from the last 500 sales of 05-18 ends inside 05-19: closed at 05-20 12:00, open at 05-19 10:00.
    const onTheEighteenth = (await walkSalesDate(client, busiest.ledgerId, '2026-05-18', 1000)).length;
    const cursor = salesCursor.encode({ day: dayNumber('2026-05-18'), offset: Math.max(0, onTheEighteenth - 500) });
    const feedPath = withQuery(sales, { pageSize: '1000', cursor });
    const datePath = `${sales}/dates/2026-05-19?pageSize=1000`;
    const closed = await answers(client, [feedPath, datePath, feedPath, datePath]);
    const reference = await startTestEmulator({ reportPageSize: 40, now: '2026-05-19T10:00:00Z' });
    try {
      await moved.admin.setClock('2026-05-19T10:00:00Z');
      const reopened = await answers(client, [feedPath, datePath]);
      expect(reopened).toEqual(await answers(demoClient(reference), [feedPath, datePath]));
      expect(pageModel.parse(JSON.parse(reopened[1] ?? '')).items.length).toBeLessThan(pageModel.parse(JSON.parse(closed[1] ?? '')).items.length);
      expect(reopened[0]).not.toEqual(closed[0]);
    } finally {
      await moved.admin.setClock('2026-05-20T12:00:00Z');
      await reference.close();
    }
  });
});


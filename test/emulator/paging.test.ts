import { describe, expect } from 'vitest';
import { z } from 'zod';
import { today } from '../support/clock.ts';
import { startTestEmulator } from '../support/emulator.ts';
import { it } from '../support/harness.ts';
import {
  datesBetween,
  PartnerClient,
  reportDatePageModel,
  reportFeedPageModel,
  salesPageModel,
  walkReportDate,
  walkReportFeed,
  walkSalesDate,
  withQuery,
  requestToken,
  type LedgerTraits,
} from './support.ts';

/** Cursors, page sizes, the ends of feeds, bad parameters, and cursors that outlive a restart. */

const problemModel = z.object({ status: z.literal(400), extraDetails: z.array(z.object({ name: z.string(), reason: z.string() })).min(1) }).loose();

it.override('emulatorOptions', { reportPageSize: 100 });

describe('paging and parameters', () => {
  let client: PartnerClient;
  let busiest: LedgerTraits;
  let small: LedgerTraits;

  it.beforeAll(async ({ emulator }) => {
    client = new PartnerClient(emulator.url, emulator.partner);
    const traits = await emulator.grantedLedgers();
    const found = traits.find((ledger) => ledger.busiest);
    const cafe = traits.find((ledger) => ledger.kind === 'vm' && ledger.settlement === 'daily' && !ledger.busiest && ledger.cutoffHour === 0 && ledger.recipientHandles.length === 1 && ledger.currency === 'NOK' && !ledger.events.negativeBalance);
    if (!found || !cafe) throw new Error('missing ledgers');
    busiest = found;
    small = cafe;
  });

  async function expectBadParameter(path: string, name: string): Promise<void> {
    const answer = await client.get(path);
    expect(answer.status, path).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(problemModel.parse(JSON.parse(answer.text)).extraDetails.map((detail) => detail.name), path).toEqual([name]);
  }

  it('pages a Report date by the advertised page size, cursor only while hasMore', async () => {
    const path = `/report/v2/ledgers/${busiest.ledgerId}/funds/dates/2026-05-16`;
    const first = await client.get(path);
    expect(first.headers.get('Vipps-Feed-Page-Size')).toBe('100');
    let cursor: string | undefined;
    let pages = 0;
    const seen = new Set<string>();
    do {
      const page = await client.json(withQuery(path, { cursor }), reportDatePageModel);
      pages += 1;
      expect(page.hasMore).toBe(page.cursor !== undefined);
      expect(page.items.length).toBeLessThanOrEqual(100);
      if (page.hasMore) expect(page.items.length).toBe(100);
      for (const entry of page.items) seen.add(`${entry.entryType}|${entry.pspReference}`);
      cursor = page.cursor;
    } while (cursor);
    expect(pages).toBeGreaterThan(10);
    const other = await startTestEmulator({ reportPageSize: 1000 });
    try {
      const demo = other.partners[0];
      if (!demo) throw new Error('no demo partner');
      const whole = await walkReportDate(new PartnerClient(other.url, demo), busiest.ledgerId, 'funds', '2026-05-16');
      const paged = await walkReportDate(client, busiest.ledgerId, 'funds', '2026-05-16');
      expect(paged.entries).toEqual(whole.entries);
      expect(paged.pages).toBeGreaterThan(whole.pages);
      expect(seen.size).toBe(whole.entries.length);
    } finally {
      await other.close();
    }
  });

  it('ends the Report feed with tryLater and the same cursor, again and again', async () => {
    const walk = await walkReportFeed(client, small.ledgerId, 'fees');
    expect(walk.entries[0]?.ledgerDate).toBe(small.firstLedgerDate);
    for (let i = 0; i < 2; i++) {
      const page = await client.json(withQuery(`/report/v2/ledgers/${small.ledgerId}/fees/feed`, { cursor: walk.cursor }), reportFeedPageModel);
      expect(page).toEqual({ cursor: walk.cursor, tryLater: true, items: [] });
    }
  });

  it('pages Sales dates with pageSize 1..1000 and walks the Sales feed to an end that repeats its cursor', async () => {
    const dates = datesBetween(small.firstLedgerDate, today);
    const byDate = (await Promise.all(dates.map((date) => walkSalesDate(client, small.ledgerId, date, 1000)))).flat();
    const byDateSmallPages = await walkSalesDate(client, small.ledgerId, '2026-05-16', 7);
    expect(byDateSmallPages).toEqual(await walkSalesDate(client, small.ledgerId, '2026-05-16', 1000));
    const one = await client.json(`/sales/report/v1/ledgers/${small.ledgerId}/dates/2026-05-16?pageSize=1`, salesPageModel);
    expect(one.items).toHaveLength(1);
    expect(one.hasMore).toBe(true);
    const feed = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await client.json(withQuery(`/sales/report/v1/ledgers/${small.ledgerId}`, { cursor, pageSize: '1000' }), salesPageModel);
      feed.push(...page.items);
      expect(page.cursor).toBeTruthy();
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(feed).toEqual(byDate);
    const end = await client.json(withQuery(`/sales/report/v1/ledgers/${small.ledgerId}`, { cursor }), salesPageModel);
    expect(end).toEqual({ items: [], cursor, hasMore: false });
    const lastPage = await client.json(`/sales/report/v1/ledgers/${small.ledgerId}/dates/2026-05-16?pageSize=1000`, salesPageModel);
    expect(lastPage.cursor).toBeUndefined();
    expect(lastPage.hasMore).toBe(false);
  });

  it('names the bad parameter in a 400 problem', async () => {
    const sales = `/sales/report/v1/ledgers/${small.ledgerId}`;
    const report = `/report/v2/ledgers/${small.ledgerId}`;
    for (const size of ['0', '1001', '-1', 'abc', '1.5']) {
      await expectBadParameter(`${sales}?pageSize=${size}`, 'pageSize');
      await expectBadParameter(`${sales}/dates/2026-05-16?pageSize=${size}`, 'pageSize');
    }
    for (const date of ['2026-02-30', '2026-13-01', '20260516', 'yesterday']) {
      await expectBadParameter(`${report}/funds/dates/${date}`, 'ledgerDate');
      await expectBadParameter(`${sales}/dates/${date}`, 'ledgerDate');
    }
    await expectBadParameter(`${report}/payouts/dates/2026-05-16`, 'topic');
    await expectBadParameter(`${report}/payouts/feed`, 'topic');
    for (const cursor of ['%%%', 'bm90IGEgY3Vyc29y', 'eyJ4IjoxfQ==']) {
      await expectBadParameter(`${report}/funds/dates/2026-05-16?cursor=${cursor}`, 'cursor');
      await expectBadParameter(`${report}/funds/feed?cursor=${cursor}`, 'cursor');
      await expectBadParameter(`${sales}?cursor=${cursor}`, 'cursor');
      await expectBadParameter(`${sales}/dates/2026-05-16?cursor=${cursor}`, 'cursor');
    }
    const otherDate = await client.json(`${sales}/dates/2026-05-15?pageSize=1`, salesPageModel);
    await expectBadParameter(withQuery(`${sales}/dates/2026-05-16`, { cursor: otherDate.cursor }), 'cursor');
    await expectBadParameter(`${report}/funds/feed?includeGDPRSensitiveData=yes`, 'includeGDPRSensitiveData');
  });

  it('keeps cursors and tokens working after the emulator restarts with the same seed', async ({ emulator }) => {
    const demo = emulator.partner;
    const before = await startTestEmulator({ reportPageSize: 100 });
    const beforeClient = new PartnerClient(before.url, demo);
    const feedPath = `/report/v2/ledgers/${busiest.ledgerId}/funds/feed`;
    const datePath = `/report/v2/ledgers/${busiest.ledgerId}/fees/dates/2026-05-16`;
    const salesPath = `/sales/report/v1/ledgers/${busiest.ledgerId}`;
    const feedCursor = (await beforeClient.json(feedPath, reportFeedPageModel)).cursor;
    const dateCursor = (await beforeClient.json(datePath, reportDatePageModel)).cursor;
    const salesCursor = (await beforeClient.json(`${salesPath}?pageSize=50`, salesPageModel)).cursor;
    const expected = await Promise.all([
      beforeClient.get(withQuery(feedPath, { cursor: feedCursor })),
      beforeClient.get(withQuery(datePath, { cursor: dateCursor })),
      beforeClient.get(withQuery(salesPath, { cursor: salesCursor, pageSize: '50' })),
    ]);
    const token = await requestToken(before.url, demo);
    await before.close();

    const after = await startTestEmulator({ reportPageSize: 100 });
    try {
      const afterClient = new PartnerClient(after.url, demo);
      const actual = await Promise.all([
        afterClient.get(withQuery(feedPath, { cursor: feedCursor })),
        afterClient.get(withQuery(datePath, { cursor: dateCursor })),
        afterClient.get(withQuery(salesPath, { cursor: salesCursor, pageSize: '50' })),
      ]);
      expect(actual.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(actual.map((answer) => answer.text)).toEqual(expected.map((answer) => answer.text));
      const withOldToken = await fetch(`${after.url}${feedPath}`, { headers: { authorization: `Bearer ${token}` } });
      expect(withOldToken.status).toBe(200);
    } finally {
      await after.close();
    }
  });
});

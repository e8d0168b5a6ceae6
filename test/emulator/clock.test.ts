import { describe, expect } from 'vitest';
import { dayNumber, ledgerDateOf, ledgerDateStart, type TimeZone } from '../../src/emulator/data/calendar.ts';
import { testNow } from '../support/clock.ts';
import { it } from '../support/harness.ts';
import {
  ledgerDateByIntl,
  PartnerClient,
  readableLedgers,
  reportDatePageModel,
  reportFeedPageModel,
  walkReportDate,
  walkReportFeed,
  walkSalesDate,
  withQuery,
  type LedgerTraits,
} from './support.ts';

/** The clock: closed and open dates, an open date that grows, time zones, summer time, cut-offs. */

const zones: TimeZone[] = ['Europe/Oslo', 'Europe/Copenhagen', 'Europe/Helsinki'];

describe('ledger calendar', () => {
  it('agrees with Intl on the ledger date of instants across summer-time changes', () => {
    const mismatches: string[] = [];
    for (const timeZone of zones) {
      for (const cutoffHour of [0, 4]) {
        for (let t = Date.parse('2026-03-27T00:00:00Z'); t < Date.parse('2027-04-02T00:00:00Z'); t += 19 * 60_000 + 13_000) {
          const iso = new Date(t).toISOString();
          const expected = ledgerDateByIntl(iso, timeZone, cutoffHour);
          if (ledgerDateOf({ timeZone, cutoffHour }, t) !== dayNumber(expected)) mismatches.push(`${timeZone} ${cutoffHour} ${iso}`);
        }
        const start = ledgerDateStart({ timeZone, cutoffHour }, dayNumber('2026-10-25'));
        expect(ledgerDateByIntl(new Date(start).toISOString(), timeZone, cutoffHour)).toBe('2026-10-25');
        expect(ledgerDateByIntl(new Date(start - 1000).toISOString(), timeZone, cutoffHour)).toBe('2026-10-24');
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});

describe('open and closed dates', () => {
  let client: PartnerClient;
  let cafe: LedgerTraits;
  let readable: LedgerTraits[];

  it.beforeAll(async ({ emulator }) => {
    client = new PartnerClient(emulator.url, emulator.partner);
    readable = await emulator.grantedLedgers();
    const found = readable.find((ledger) => ledger.kind === 'vm' && !ledger.busiest && ledger.cutoffHour === 0 && ledger.settlement === 'daily' && !ledger.events.negativeBalance);
    if (!found) throw new Error('no daytime ledger');
    cafe = found;
  });

  it('answers a future date empty with tryLater, and a date before the history empty and closed', async () => {
    const future = await client.json(`/report/v2/ledgers/${cafe.ledgerId}/funds/dates/2026-05-21`, reportDatePageModel);
    expect(future).toEqual({ hasMore: false, tryLater: true, items: [] });
    const before = await client.json(`/report/v2/ledgers/${cafe.ledgerId}/funds/dates/2026-01-05`, reportDatePageModel);
    expect(before).toEqual({ hasMore: false, tryLater: false, items: [] });
  });

  it('grows the open date as the clock moves, keeping what was there, and closes it after midnight', async ({ emulator }) => {
    const path = `/report/v2/ledgers/${cafe.ledgerId}/funds/dates/2026-05-20`;
    const morning = await walkReportDate(client, cafe.ledgerId, 'funds', '2026-05-20');
    expect(morning.tryLater).toBe(true);
    expect(morning.entries.length).toBeGreaterThan(0);
    for (const entry of morning.entries) expect(Date.parse(entry.time)).toBeLessThanOrEqual(Date.parse(testNow));
    expect(morning.entries.some((entry) => entry.entryType === 'payout-scheduled' || entry.entryType === 'fees-retained')).toBe(false);
    const sales = await walkSalesDate(client, cafe.ledgerId, '2026-05-20');
    const feedBefore = await walkReportFeed(client, cafe.ledgerId, 'funds');

    await emulator.admin.setClock('2026-05-20T15:00:00Z');
    const afternoon = await walkReportDate(client, cafe.ledgerId, 'funds', '2026-05-20');
    expect(afternoon.tryLater).toBe(true);
    expect(afternoon.entries.length).toBeGreaterThan(morning.entries.length);
    expect(afternoon.entries.slice(0, morning.entries.length)).toEqual(morning.entries);
    const moreSales = await walkSalesDate(client, cafe.ledgerId, '2026-05-20');
    expect(moreSales.slice(0, sales.length)).toEqual(sales);
    expect(moreSales.length).toBeGreaterThan(sales.length);
    const continued = await walkReportFeed(client, cafe.ledgerId, 'funds', feedBefore.cursor);
    expect([...feedBefore.entries, ...continued.entries].slice(-afternoon.entries.length)).toEqual(afternoon.entries);

    await emulator.admin.setClock('2026-05-20T22:30:00Z');
    const closed = await client.json(path, reportDatePageModel);
    expect(closed.tryLater).toBe(false);
    expect(closed.items.at(-1)?.entryType).toBe('payout-scheduled');
    const next = await client.json(`/report/v2/ledgers/${cafe.ledgerId}/funds/dates/2026-05-21`, reportDatePageModel);
    expect(next.tryLater).toBe(true);
    await emulator.admin.setClock(testNow);
    expect((await client.json(path, reportDatePageModel)).tryLater).toBe(true);
  });

  it('closes dates at midnight in the ledger time zone, with summer time, and at 04:00 for the late ledger', async ({ emulator }) => {
    const checked = new Set<string>();
    for (const { ledger, client: reader } of await readableLedgers(emulator)) {
      for (const date of ['2026-03-28', '2026-03-29', '2026-03-30']) {
        const { entries } = await walkReportDate(reader, ledger.ledgerId, 'funds', date);
        // Closing entries carry the first instant of the next ledger date.
        for (const entry of entries.filter((candidate) => candidate.entryType === 'payout-scheduled' || candidate.entryType === 'fees-retained')) {
          const end = Date.parse(entry.time);
          expect(ledgerDateByIntl(new Date(end).toISOString(), ledger.timeZone, ledger.cutoffHour), `${ledger.ledgerId} ${date}`).not.toBe(date);
          expect(ledgerDateByIntl(new Date(end - 1000).toISOString(), ledger.timeZone, ledger.cutoffHour), `${ledger.ledgerId} ${date}`).toBe(date);
          checked.add(`${ledger.timeZone}/${ledger.cutoffHour}`);
        }
      }
    }
    expect([...checked].sort()).toEqual(['Europe/Copenhagen/0', 'Europe/Helsinki/0', 'Europe/Oslo/0', 'Europe/Oslo/4']);
  });

  it('walks the feed into the open date and answers tryLater at its end', async () => {
    const walk = await walkReportFeed(client, cafe.ledgerId, 'fees');
    expect(walk.entries.at(-1)?.ledgerDate).toBe('2026-05-20');
    const page = await client.json(withQuery(`/report/v2/ledgers/${cafe.ledgerId}/fees/feed`, { cursor: walk.cursor }), reportFeedPageModel);
    expect(page).toEqual({ cursor: walk.cursor, tryLater: true, items: [] });
  });
});

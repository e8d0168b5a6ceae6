import { describe, expect } from 'vitest';
import type { ReportEntry } from '../../src/sources/report/models.ts';
import type { LedgerTraits } from '../support/emulator.ts';
import { it } from '../support/harness.ts';
import { calls, routes } from '../support/routes.ts';
import { failureOf } from './failure.ts';

/** Entries of one date and topic chain: each opens with the previous one's closing balance. */
function expectChained(entries: readonly ReportEntry[]): void {
  for (let index = 1; index < entries.length; index += 1) {
    expect(entries[index]?.balanceBefore).toBe(entries[index - 1]?.balanceAfter);
  }
}

describe('ReportClient against the emulator', () => {
  let traits: LedgerTraits[];
  let busiest: LedgerTraits;

  it.beforeAll(async ({ emulator }) => {
    traits = await emulator.ledgers();
    const found = traits.find((ledger) => ledger.busiest);
    if (found === undefined) throw new Error('the emulator has no busiest ledger');
    busiest = found;
  });

  it('lists every granted ledger, following every page of the list', async ({ emulator, admin, direct }) => {
    await admin.resetStats();
    const ledgers = await direct.report.ledgers();
    const granted = emulator.partner.ledgerIds;
    expect(ledgers.map((ledger) => ledger.ledgerId).sort()).toEqual([...granted].sort());
    expect(granted.length).toBeGreaterThan(5);
    expect(await calls(admin, routes.ledgers)).toBeGreaterThan(1);
  });

  it('lists only the ledgers settling for a recipient handle', async ({ direct }) => {
    const handle = busiest.recipientHandles[0] ?? '';
    const ledgers = await direct.report.ledgers(handle);
    expect(ledgers.map((ledger) => ledger.ledgerId)).toEqual([busiest.ledgerId]);
    expect(ledgers[0]?.settlesForRecipientHandles).toContain(handle);
  });

  it('joins every page of a busy date, in order, one call per page', async ({ admin, direct }) => {
    const date = '2026-05-16';
    const walked: ReportEntry[] = [];
    let pages = 0;
    let cursor: string | undefined;
    do {
      const page = await direct.report.datePage(busiest.ledgerId, 'funds', date, cursor);
      walked.push(...page.items);
      pages += 1;
      cursor = page.hasMore ? (page.cursor ?? undefined) : undefined;
    } while (cursor !== undefined);
    expect(pages).toBeGreaterThan(1);

    await admin.resetStats();
    const day = await direct.report.fundsForDate(busiest.ledgerId, date);
    expect(await calls(admin, routes.reportDate)).toBe(pages);
    expect(day).toMatchObject({ ledgerId: busiest.ledgerId, topic: 'funds', date, isClosed: true });
    expect(day.entries).toEqual(walked);
    expect(day.entries.every((entry) => entry.ledgerDate === date)).toBe(true);
    expectChained(day.entries);
  });

  it('tells an open date from a closed one', async ({ direct }) => {
    const open = await direct.report.feesForDate(busiest.ledgerId, '2026-05-20');
    expect(open.isClosed).toBe(false);
    expect(open.entries.length).toBeGreaterThan(0);
    const closed = await direct.report.feesForDate(busiest.ledgerId, '2026-05-19');
    expect(closed.isClosed).toBe(true);
    expectChained([...closed.entries, ...open.entries]);
  });

  it('reads the feed page by page, continuing from the returned cursor', async ({ direct }) => {
    const first = await direct.report.feedPage(busiest.ledgerId, 'funds');
    expect(first.items.length).toBeGreaterThan(0);
    const second = await direct.report.feedPage(busiest.ledgerId, 'funds', first.cursor);
    expect(second.items[0]?.balanceBefore).toBe(first.items.at(-1)?.balanceAfter);
  });

  it('answers an unknown ledger and a ledger not granted alike, with NOT_FOUND', async ({ emulator, direct }) => {
    const notGranted = traits.find((ledger) => !ledger.grantedTo.includes(emulator.partner.clientId));
    if (notGranted === undefined) throw new Error('every ledger is granted to the demo partner');
    const unknown = await failureOf(direct.report.fundsForDate('no-such-ledger', '2026-05-19'));
    const hidden = await failureOf(direct.report.fundsForDate(notGranted.ledgerId, '2026-05-19'));
    for (const error of [unknown, hidden]) {
      expect(error.code).toBe('NOT_FOUND');
      expect(error.status).toBe(404);
      expect(error.route).toBe(routes.reportDate);
    }
  });

  it('answers a malformed date with BAD_REQUEST naming the parameter', async ({ direct }) => {
    const error = await failureOf(direct.report.datePage(busiest.ledgerId, 'funds', '2026-13-01'));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('ledgerDate');
  });

  it('maps injected 429s and unreadable bodies', async ({ admin, direct }) => {
    try {
      await admin.setFaults({ routes: { [routes.reportDate]: { rate429: 1, retryAfterSeconds: 17 } } });
      const limited = await failureOf(direct.report.datePage(busiest.ledgerId, 'funds', '2026-05-19'));
      expect(limited.code).toBe('UPSTREAM_RATE_LIMITED');
      expect(limited.retryAfterSeconds).toBe(17);

      await admin.setFaults({ routes: { [routes.reportDate]: { malformedRate: 1 } } });
      expect((await failureOf(direct.report.datePage(busiest.ledgerId, 'funds', '2026-05-19'))).code).toBe('UPSTREAM_BAD_RESPONSE');

      await admin.setFaults({ routes: { [routes.reportDate]: { schemaBreakRate: 1 } } });
      expect((await failureOf(direct.report.datePage(busiest.ledgerId, 'funds', '2026-05-19'))).code).toBe('UPSTREAM_BAD_RESPONSE');

      await admin.setFaults({ routes: { [routes.reportDate]: { rate5xx: 1 } } });
      expect((await failureOf(direct.report.datePage(busiest.ledgerId, 'funds', '2026-05-19'))).code).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      await admin.setFaults({});
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Upstream } from '../../src/sources/index.ts';
import type { ReportEntry } from '../../src/sources/report/models.ts';
import { failureOf } from './failure.ts';
import { calls, startHarness, type EmulatorHarness, type LedgerTraits } from './emulator.ts';

/** Entries of one date and topic chain: each opens with the previous one's closing balance. */
function expectChained(entries: readonly ReportEntry[]): void {
  for (let index = 1; index < entries.length; index += 1) {
    expect(entries[index]?.balanceBefore).toBe(entries[index - 1]?.balanceAfter);
  }
}

describe('ReportClient against the emulator', () => {
  let harness: EmulatorHarness;
  let upstream: Upstream;
  let traits: LedgerTraits[];
  let busiest: LedgerTraits;

  beforeAll(async () => {
    harness = await startHarness();
    upstream = harness.upstream(0);
    traits = await harness.ledgers();
    const found = traits.find((ledger) => ledger.busiest);
    if (found === undefined) throw new Error('the emulator has no busiest ledger');
    busiest = found;
  });

  afterAll(async () => {
    await harness.close();
  });

  it('lists every granted ledger, following every page of the list', async () => {
    await harness.resetStats();
    const ledgers = await upstream.report.ledgers();
    const granted = harness.emulator.partners[0]?.ledgerIds ?? [];
    expect(ledgers.map((ledger) => ledger.ledgerId).sort()).toEqual([...granted].sort());
    expect(granted.length).toBeGreaterThan(5);
    expect(await harness.count(calls.ledgers)).toBeGreaterThan(1);
  });

  it('lists only the ledgers settling for a recipient handle', async () => {
    const handle = busiest.recipientHandles[0] ?? '';
    const ledgers = await upstream.report.ledgers(handle);
    expect(ledgers.map((ledger) => ledger.ledgerId)).toEqual([busiest.ledgerId]);
    expect(ledgers[0]?.settlesForRecipientHandles).toContain(handle);
  });

  it('joins every page of a busy date, in order, one call per page', async () => {
    const date = '2026-05-16';
    const walked: ReportEntry[] = [];
    let pages = 0;
    let cursor: string | undefined;
    do {
      const page = await upstream.report.datePage(busiest.ledgerId, 'funds', date, cursor);
      walked.push(...page.items);
      pages += 1;
      cursor = page.hasMore ? (page.cursor ?? undefined) : undefined;
    } while (cursor !== undefined);
    expect(pages).toBeGreaterThan(1);

    await harness.resetStats();
    const day = await upstream.report.fundsForDate(busiest.ledgerId, date);
    expect(await harness.count(calls.reportDate)).toBe(pages);
    expect(day).toMatchObject({ ledgerId: busiest.ledgerId, topic: 'funds', date, isClosed: true });
    expect(day.entries).toEqual(walked);
    expect(day.entries.every((entry) => entry.ledgerDate === date)).toBe(true);
    expectChained(day.entries);
  });

  it('tells an open date from a closed one', async () => {
    const open = await upstream.report.feesForDate(busiest.ledgerId, '2026-05-20');
    expect(open.isClosed).toBe(false);
    expect(open.entries.length).toBeGreaterThan(0);
    const closed = await upstream.report.feesForDate(busiest.ledgerId, '2026-05-19');
    expect(closed.isClosed).toBe(true);
    expectChained([...closed.entries, ...open.entries]);
  });

  it('reads the feed page by page, continuing from the returned cursor', async () => {
    const first = await upstream.report.feedPage(busiest.ledgerId, 'funds');
    expect(first.items.length).toBeGreaterThan(0);
    const second = await upstream.report.feedPage(busiest.ledgerId, 'funds', first.cursor);
    expect(second.items[0]?.balanceBefore).toBe(first.items.at(-1)?.balanceAfter);
  });

  it('answers an unknown ledger and a ledger not granted alike, with NOT_FOUND', async () => {
    const notGranted = traits.find((ledger) => !ledger.grantedTo.includes(harness.emulator.partners[0]?.clientId ?? ''));
    if (notGranted === undefined) throw new Error('every ledger is granted to the demo partner');
    const unknown = await failureOf(upstream.report.fundsForDate('no-such-ledger', '2026-05-19'));
    const hidden = await failureOf(upstream.report.fundsForDate(notGranted.ledgerId, '2026-05-19'));
    for (const error of [unknown, hidden]) {
      expect(error.code).toBe('NOT_FOUND');
      expect(error.status).toBe(404);
      expect(error.route).toBe(calls.reportDate);
    }
  });

  it('answers a malformed date with BAD_REQUEST naming the parameter', async () => {
    const error = await failureOf(upstream.report.datePage(busiest.ledgerId, 'funds', '2026-13-01'));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('ledgerDate');
  });

  it('maps injected 429s and unreadable bodies', async () => {
    try {
      await harness.faults({ routes: { [calls.reportDate]: { rate429: 1, retryAfterSeconds: 17 } } });
      const limited = await failureOf(upstream.report.datePage(busiest.ledgerId, 'funds', '2026-05-19'));
      expect(limited.code).toBe('UPSTREAM_RATE_LIMITED');
      expect(limited.retryAfterSeconds).toBe(17);

      await harness.faults({ routes: { [calls.reportDate]: { malformedRate: 1 } } });
      expect((await failureOf(upstream.report.datePage(busiest.ledgerId, 'funds', '2026-05-19'))).code).toBe('UPSTREAM_BAD_RESPONSE');

      await harness.faults({ routes: { [calls.reportDate]: { schemaBreakRate: 1 } } });
      expect((await failureOf(upstream.report.datePage(busiest.ledgerId, 'funds', '2026-05-19'))).code).toBe('UPSTREAM_BAD_RESPONSE');

      await harness.faults({ routes: { [calls.reportDate]: { rate5xx: 1 } } });
      expect((await failureOf(upstream.report.datePage(busiest.ledgerId, 'funds', '2026-05-19'))).code).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      await harness.faults({});
    }
  });
});

import { describe, expect } from 'vitest';
import { endsWithPayout, eventsOfStep, leavesDateBehind, type LiveEvent } from '../../src/live/events.ts';
import { LiveHub } from '../../src/live/hub.ts';
import { silentLogger } from '../../src/logger.ts';
import { credentialFingerprint } from '../../src/sources/cache/keys.ts';
import { reportFeedSource } from '../../src/sync/sources.ts';
import { advance, initialFeedState, type MirroredEntry } from '../../src/sync/state.ts';
import { it } from '../support/harness.ts';

/**
 * The events a ledger's funds feed brings, page by page, against what the emulator's date
 * endpoints say: every date with entries told closed once and in order, every payout told, however
 * the feed is cut into pages.
 */

describe('live events of the funds feed', () => {
  it('tells each closed date once, in order, and each payout, whatever the page boundaries', async ({ emulator, direct }) => {
    const ledger = await emulator.ledger((candidate) => candidate.settlement === 'daily' && !candidate.busiest && candidate.kind === 'vm');
    const source = reportFeedSource(direct.report, ledger.ledgerId, 'funds');
    const entries: MirroredEntry[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await source.read(cursor);
      entries.push(...page.entries);
      if (page.atEnd) break;
      cursor = page.cursor;
    }
    const dates = [...new Set(entries.map((entry) => entry.ledgerDate ?? ''))];
    const newest = dates.at(-1) ?? '';
    // What the date endpoints say: which dates are closed, and which have a payout.
    const days = await Promise.all(dates.map((date) => direct.report.forDate(ledger.ledgerId, 'funds', date)));
    const payoutDates = days.filter((day) => day.entries.some((entry) => entry.entryType === 'payout-scheduled')).map((day) => day.date);
    const closedDates = days.filter((day) => day.isClosed).map((day) => day.date);

    for (const pageSize of [1, 7, 250, entries.length]) {
      let state = initialFeedState;
      const told: LiveEvent[] = [];
      for (let start = 0; start < entries.length; start += pageSize) {
        const page = entries.slice(start, start + pageSize);
        const step = advance(state, { entries: page, cursor: `position-${start + page.length}`, atEnd: start + pageSize >= entries.length }, 0);
        const stored = entries.slice(0, start).filter((entry) => entry.ledgerDate === state.lastDate).map((entry) => entry.json);
        const previousEndedWithPayout = leavesDateBehind(state, step) && endsWithPayout(stored);
        told.push(...eventsOfStep(ledger.ledgerId, state, step, previousEndedWithPayout));
        state = step.state;
      }
      const closedTold = told.filter((event) => event.kind === 'date-closed').map((event) => event.date);
      // Every date before the newest, and the newest too once its payout is in.
      const expectedClosed = dates.filter((date) => date < newest || payoutDates.includes(date));
      expect(closedTold, `pages of ${pageSize}`).toEqual(expectedClosed);
      expect(closedTold.every((date) => closedDates.includes(date) || payoutDates.includes(date))).toBe(true);
      expect(told.filter((event) => event.kind === 'payout-scheduled').map((event) => event.date)).toEqual(payoutDates);
    }
  });

  it('keeps events in the process when no Redis is configured, each subscriber hearing only the ledgers it named', async () => {
    const hub = new LiveHub({ redis: null, logger: silentLogger, maxSubscriptionsPerTenant: 1 });
    const fp = credentialFingerprint({ baseUrl: 'http://upstream.test', clientId: 'a', clientSecret: 'b' });
    const heard = hub.subscribe(fp, ['1001']);
    const next = heard.next();
    hub.publish(fp, { kind: 'date-closed', ledgerId: '2002', date: '2026-05-20' });
    hub.publish(fp, { kind: 'date-closed', ledgerId: '1001', date: '2026-05-21' });
    expect((await next).value).toEqual({ kind: 'date-closed', ledgerId: '1001', date: '2026-05-21' });
    await heard.return?.();
    const release = hub.counts.take('kafe');
    expect(hub.counts.take('kafe')).toBeNull();
    release?.();
    expect(hub.counts.take('kafe')).not.toBeNull();
  });
});

import { describe, expect } from 'vitest';
import { today } from '../support/clock.ts';
import { it } from '../support/harness.ts';
import {
  datesBetween,
  readableLedgers,
  walkReportDate,
  walkReportFeed,
  type LedgerTraits,
  type ReportEntry,
} from './support.ts';

/**
 * Money that adds up: within every readable ledger and topic, balances chain entry to entry and
 * date to date over the whole history (at least 60 dates), payouts close their dates, and the
 * feed walked to its end is exactly the dates concatenated.
 */

const openDate = today;

interface LedgerHistory {
  ledger: LedgerTraits;
  dates: string[];
  byDate: Record<'funds' | 'fees', Map<string, ReportEntry[]>>;
  feed: Record<'funds' | 'fees', ReportEntry[]>;
}

describe('balances, payouts and feeds', () => {
  const histories: LedgerHistory[] = [];

  it.beforeAll(async ({ emulator }) => {
    for (const { ledger, client } of await readableLedgers(emulator)) {
      const dates = datesBetween(ledger.firstLedgerDate, openDate);
      const history: LedgerHistory = { ledger, dates, byDate: { funds: new Map(), fees: new Map() }, feed: { funds: [], fees: [] } };
      for (const topic of ['funds', 'fees'] as const) {
        const walks = await Promise.all(dates.map((date) => walkReportDate(client, ledger.ledgerId, topic, date)));
        walks.forEach((walk, index) => history.byDate[topic].set(dates[index] ?? '', walk.entries));
        history.feed[topic] = (await walkReportFeed(client, ledger.ledgerId, topic)).entries;
      }
      histories.push(history);
    }
  }, 120_000);

  it('reads at least 60 dates of every readable ledger', () => {
    expect(histories.length).toBeGreaterThanOrEqual(11);
    for (const { dates } of histories) expect(dates.length).toBeGreaterThanOrEqual(60);
  });

  it('chains balances entry to entry and date to date, from zero', () => {
    // Checked in a loop and asserted once: hundreds of thousands of entries.
    const breaks: string[] = [];
    for (const { ledger, dates, byDate } of histories) {
      for (const topic of ['funds', 'fees'] as const) {
        let balance = 0;
        for (const date of dates) {
          for (const entry of byDate[topic].get(date) ?? []) {
            const chained = entry.balanceBefore === balance && entry.balanceAfter === entry.balanceBefore + entry.amount;
            if (!chained || entry.ledgerDate !== date || entry.currency !== ledger.currency) {
              breaks.push(`${ledger.ledgerId} ${topic} ${date} ${entry.entryType} ${entry.pspReference}`);
            }
            balance = entry.balanceAfter;
          }
        }
      }
    }
    expect(breaks.slice(0, 5)).toEqual([]);
  });

  it('ends a paying date with payout-scheduled down to the reserve, numbers counting up', () => {
    for (const { ledger, dates, byDate } of histories) {
      let previous: number | null = null;
      let payouts = 0;
      for (const date of dates) {
        const entries = byDate.funds.get(date) ?? [];
        entries.forEach((entry, index) => {
          if (entry.entryType !== 'payout-scheduled') return;
          payouts += 1;
          expect(index, `${ledger.ledgerId} ${date}`).toBe(entries.length - 1);
          expect(entry.balanceAfter).toBe(ledger.reserve);
          expect(entry.amount).toBeLessThan(0);
          const match = /^(\d+)-(\d+)$/.exec(entry.pspReference);
          expect(match?.[1]).toBe(ledger.ledgerId);
          const number = Number(match?.[2]);
          if (previous !== null) expect(number).toBe(previous + 1);
          previous = number;
          const recipient = (ledger.recipientHandles[0] ?? '').split(':')[1] ?? '';
          if (ledger.currency === 'NOK') expect(entry.reference).toBe(`Utb. ${number} Vippsnr ${recipient}`);
          else expect(entry.reference).toMatch(new RegExp(`^02${recipient.padStart(8, '0')}001${date.slice(8, 10)}${date.slice(5, 7)}${date.slice(2, 4)}\\d$`));
          const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
          if (ledger.settlement === 'weekly') expect(weekday).toBe(0);
          if (ledger.settlement === 'monthly') expect(new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).getUTCDate()).toBe(1);
        });
      }
      expect(payouts, ledger.ledgerId).toBeGreaterThan(0);
    }
  });

  it('settles fees net (fees-retained mirrored at the close) or gross (fees-invoiced at month end)', () => {
    for (const { ledger, dates, byDate } of histories) {
      for (const date of dates.slice(0, -1)) {
        const fees = byDate.fees.get(date) ?? [];
        const retainedOnFunds = (byDate.funds.get(date) ?? []).filter((entry) => entry.entryType === 'fees-retained');
        const retainedOnFees = fees.filter((entry) => entry.entryType === 'fees-retained');
        if (ledger.feeSettlement === 'gross') {
          expect(retainedOnFunds).toEqual([]);
          expect(retainedOnFees).toEqual([]);
          continue;
        }
        expect(retainedOnFunds.length).toBe(retainedOnFees.length);
        retainedOnFunds.forEach((onFunds, index) => {
          const onFees = retainedOnFees[index];
          expect(onFees?.amount).toBe(-onFunds.amount);
          expect(onFees?.pspReference).toBe(onFunds.pspReference);
          expect(onFees?.time).toBe(onFunds.time);
        });
        // Under net settlement every date closes with nothing owed in fees.
        const last = fees[fees.length - 1];
        if (last) expect(last.balanceAfter, `${ledger.ledgerId} ${date}`).toBe(0);
      }
      if (ledger.feeSettlement === 'gross') {
        const invoiced = dates.flatMap((date) => (byDate.fees.get(date) ?? []).filter((entry) => entry.entryType === 'fees-invoiced').map(() => date));
        expect(invoiced).toEqual(['2026-03-31', '2026-04-30']);
      }
    }
  });

  it('shows a negative balance carried without payout, a top-up and an aborted payout', () => {
    const troubled = histories.find(({ ledger }) => ledger.events.negativeBalance);
    if (!troubled) throw new Error('no ledger with a negative balance');
    const closings = troubled.dates.slice(0, -1).map((date) => ({ date, entries: troubled.byDate.funds.get(date) ?? [] }));
    const negative = closings.filter(({ entries }) => (entries[entries.length - 1]?.balanceAfter ?? 0) < 0);
    expect(negative.length).toBeGreaterThan(0);
    for (const { entries } of negative) expect(entries.some((entry) => entry.entryType === 'payout-scheduled')).toBe(false);
    const topUps = closings.flatMap(({ entries }) => entries.filter((entry) => entry.entryType === 'top-up'));
    expect(topUps.length).toBeGreaterThan(0);
    for (const topUp of topUps) expect(topUp.balanceAfter).toBeGreaterThanOrEqual(0);
    const payouts = new Map(histories.flatMap(({ dates, byDate }) => dates.flatMap((date) => (byDate.funds.get(date) ?? []).filter((entry) => entry.entryType === 'payout-scheduled').map((entry) => [entry.pspReference, entry] as const))));
    const aborted = histories.flatMap(({ dates, byDate }) => dates.flatMap((date) => (byDate.funds.get(date) ?? []).filter((entry) => entry.entryType === 'payout-aborted')));
    expect(aborted.length).toBeGreaterThan(0);
    for (const entry of aborted) expect(entry.amount).toBe(-(payouts.get(entry.pspReference)?.amount ?? 0));
  });

  it('serves the same entries through the feed as through the dates, in order', () => {
    for (const { ledger, dates, byDate, feed } of histories) {
      for (const topic of ['funds', 'fees'] as const) {
        const concatenated = dates.flatMap((date) => byDate[topic].get(date) ?? []);
        expect(feed[topic].length, `${ledger.ledgerId} ${topic}`).toBe(concatenated.length);
        expect(feed[topic]).toEqual(concatenated);
      }
    }
  });
});

import { describe, expect } from 'vitest';
import { addDays, datesFrom, daysBetween } from '../../src/kernel/calendar.ts';
import { graphql } from '../gql/index.ts';
import type { PayoutFieldsFragment } from '../gql/graphql.ts';
import { today } from '../support/clock.ts';
import type { LedgerTraits } from '../support/emulator.ts';
import { narrow, present } from '../support/answers.ts';
import { routes } from '../support/routes.ts';
import { isPayout, payoutNumber } from './expected.ts';
import { it, rangesOf } from './harness.ts';
import type { RawAccountDay, RawReportEntry } from './raw.ts';

/**
 * Payouts rebuilt from the funds account equal what the raw dates say: one per
 * `payout-scheduled` entry, covering the dates since the one before, and worth exactly the
 * movements they cover: opening balance + covered movements = payout + what stays behind.
 */

const lastClosedDate = addDays(today, -1);

export const PayoutFields = graphql(`
  fragment PayoutFields on Payout {
    payoutId payoutNumber date amount { minorUnits } bankText balanceAfter { minorUnits }
    coveredDates isCoverageComplete openingBalance { minorUnits }
    moneyMovements { entryType ledgerDate amount { minorUnits } pspReference }
    totals { byType { entryType count amount { minorUnits } } }
  }
`);

const Payouts = graphql(`
  query Payouts($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) { __typename ... on Ledger { payouts(from: $from, to: $to) { ...PayoutFields } } }
  }
`);

const PayoutLookup = graphql(`
  query PayoutLookup($ledgerId: String!, $payoutNumber: String!, $near: Date) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        payout(payoutNumber: $payoutNumber, near: $near) {
          __typename
          ... on NotFoundError { message }
          ... on Payout { payoutId date amount { minorUnits } }
        }
      }
    }
  }
`);

/**
 * The dates a payout covers, by the raw dates: back to the date after the previous payout, where
 * a previous payout whose `payout-aborted` came back before this one does not count (this one pays
 * its money again). Null when no such payout is within the 62-date window.
 */
function coverageStart(days: readonly RawAccountDay[], index: number): number | null {
  const isAbortOf = (payoutId: string | null | undefined) => (entry: RawReportEntry) => entry.entryType === 'payout-aborted' && entry.pspReference === payoutId;
  for (let back = index - 1; back >= 0 && index - back < 62; back--) {
    const previous = days[back]?.entries.find(isPayout);
    if (previous === undefined) continue;
    const aborted = days.slice(back + 1, index + 1).some((day) => day.entries.some(isAbortOf(previous.pspReference)));
    if (!aborted) return back + 1;
  }
  return null;
}

/** What the raw dates say each payout of the dates must be. */
function expectedPayouts(ledgerId: string, days: readonly RawAccountDay[]) {
  const expected: PayoutFieldsFragment[] = [];
  for (const [index, day] of days.entries()) {
    const entry = day.entries.find(isPayout);
    if (entry === undefined) continue;
    // Without a payout to stop at, the walk back covers the whole window (62 dates).
    const start = coverageStart(days, index);
    const covered = start === null ? datesFrom(addDays(day.date, -61), day.date) : days.slice(start, index + 1).map((d) => d.date);
    const coveredDays = days.filter((d) => covered.includes(d.date));
    const movements = coveredDays.flatMap((d) => d.entries);
    const byType = new Map<string, { entryType: string; count: number; amount: { minorUnits: number } }>();
    for (const movement of movements) {
      const group = byType.get(movement.entryType) ?? { entryType: movement.entryType, count: 0, amount: { minorUnits: 0 } };
      group.count += 1;
      group.amount.minorUnits += movement.amount;
      byType.set(movement.entryType, group);
    }
    expected.push({
      payoutId: `${ledgerId}-${payoutNumber(entry)}`,
      payoutNumber: payoutNumber(entry),
      date: day.date,
      amount: { minorUnits: -entry.amount },
      bankText: entry.reference || null,
      balanceAfter: { minorUnits: entry.balanceAfter },
      coveredDates: covered,
      isCoverageComplete: start !== null,
      openingBalance: { minorUnits: movements[0]?.balanceBefore ?? Number.NaN },
      moneyMovements: movements.map((movement) => ({
        entryType: movement.entryType,
        ledgerDate: movement.ledgerDate,
        amount: { minorUnits: movement.amount },
        pspReference: movement.pspReference ?? null,
      })),
      totals: { byType: [...byType.values()].sort((a, b) => a.entryType.localeCompare(b.entryType)) },
    });
  }
  return expected;
}

const ledgerKinds: Array<[string, (ledger: LedgerTraits) => boolean]> = [
  ['a daily ledger whose payouts are sometimes aborted', (ledger) => ledger.events.payoutAborts && !ledger.events.negativeBalance],
  ['a daily ledger with a rolling reserve', (ledger) => ledger.reserve > 0],
  ['a ledger with weeks of negative balance and no payout', (ledger) => ledger.events.negativeBalance],
  ['a weekly mPOS ledger', (ledger) => ledger.kind === 'mpos' && ledger.settlement === 'weekly'],
  ['a monthly ledger', (ledger) => ledger.settlement === 'monthly'],
];

describe('payouts', () => {
  it.for(ledgerKinds)('of %s equal the movements they cover', async ([, pick], { emulator, gateway, raw }) => {
    const ledger = await emulator.ledger(pick);
    // Sixty-two dates before the first payout are read by hand as well: its walk back covers them.
    const dates = datesFrom(addDays(ledger.firstLedgerDate, -62), lastClosedDate);
    const ranges = rangesOf(dates.filter((date) => date >= ledger.firstLedgerDate));

    const [answers, funds] = await Promise.all([
      Promise.all(ranges.map(({ from, to }) => gateway.execute(Payouts, { ledgerId: ledger.ledgerId, from, to }))),
      Promise.all(dates.map((date) => raw.account(ledger.ledgerId, 'funds', date))),
    ]);
    const payouts = answers.flatMap((answer) => present(narrow(answer.ledger, 'Ledger').payouts, 'payouts'));
    expect(payouts).toEqual(expectedPayouts(ledger.ledgerId, funds));
    expect(payouts.length).toBeGreaterThanOrEqual(ledger.settlement === 'monthly' ? 2 : 5);

    for (const payout of payouts) {
      const moneyMovements = present(payout.moneyMovements, 'moneyMovements');
      const openingBalance = present(payout.openingBalance, 'openingBalance');
      const beforePayout = moneyMovements.slice(0, -1).reduce((sum, movement) => sum + movement.amount.minorUnits, 0);
      expect(openingBalance.minorUnits + beforePayout, payout.payoutId).toBe(payout.amount.minorUnits + payout.balanceAfter.minorUnits);
      expect(moneyMovements.at(-1)?.entryType).toBe('payout-scheduled');
      expect(payout.balanceAfter.minorUnits).toBe(ledger.reserve);
      const covered = present(payout.coveredDates, 'coveredDates');
      expect(daysBetween(covered[0] ?? '', covered.at(-1) ?? '')).toBe(covered.length - 1);
    }
  });

  it('are found by number at any distance before the date given (or the newest), probing by their numbers, and never after it', async ({ emulator, gateway, openGateway, admin, raw }) => {
    const ledger = await emulator.ledger((candidate) => candidate.settlement === 'daily' && candidate.kind === 'vm');
    const dates = datesFrom('2026-04-01', '2026-04-10');
    const funds = await Promise.all(dates.map((date) => raw.account(ledger.ledgerId, 'funds', date)));
    const scheduled = funds.flatMap((day) => day.entries.filter(isPayout).map((entry) => ({ entry, date: day.date })));
    const target = scheduled[0];
    if (target === undefined) throw new Error('a daily ledger pays out within ten dates');
    const lookup = async (payoutNumberAsked: string, near: string | undefined, through = gateway) => {
      const answer = await through.execute(PayoutLookup, { ledgerId: ledger.ledgerId, payoutNumber: payoutNumberAsked, near });
      return present(narrow(answer.ledger, 'Ledger').payout, 'payout');
    };

    const expected = { __typename: 'Payout', payoutId: target.entry.pspReference, date: target.date, amount: { minorUnits: -target.entry.amount } };
    expect(await lookup(payoutNumber(target.entry), addDays(target.date, 3))).toEqual(expected);
    expect(await lookup(`${ledger.ledgerId}-${payoutNumber(target.entry)}`, addDays(target.date, 30))).toEqual(expected);
    expect((await lookup(payoutNumber(target.entry), addDays(target.date, -1))).__typename).toBe('NotFoundError');

    // Weeks back from the newest date, on a gateway of its own: a few probes, not a walk over every date.
    const far = await openGateway();
    await admin.resetStats();
    expect(daysBetween(target.date, today)).toBeGreaterThan(31);
    expect(await lookup(payoutNumber(target.entry), undefined, far)).toEqual(expected);
    expect((await admin.stats()).routes[routes.reportDate]).toBeLessThanOrEqual(12);

    // A number not paid out yet: the first payout read is older, so the search stops there.
    const cold = await openGateway();
    await admin.resetStats();
    const future = String(Number(payoutNumber(target.entry)) + 10_000);
    expect((await lookup(future, '2026-04-25', cold)).__typename).toBe('NotFoundError');
    expect((await admin.stats()).routes[routes.reportDate]).toBeLessThanOrEqual(1);

    const bad = await gateway.request(PayoutLookup, { ledgerId: ledger.ledgerId, payoutNumber: 'latest', near: '2026-04-25' });
    expect(bad.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'payoutNumber' });
    const notBegun = await gateway.request(PayoutLookup, { ledgerId: ledger.ledgerId, payoutNumber: payoutNumber(target.entry), near: addDays(today, 1) });
    expect(notBegun.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'near' });
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addDays, datesFrom, daysBetween } from '../../src/kernel/calendar.ts';
import { isPayout, payoutNumber } from './expected.ts';
import { booksNow, rangesOf, useBooksHarness, type LedgerTraits } from './harness.ts';
import type { RawAccountDay } from './raw.ts';

/**
 * Payouts rebuilt from the funds account equal what the raw dates say: one per
 * `payout-scheduled` entry, covering the dates since the one before, and worth exactly the
 * movements they cover: opening balance + covered movements = payout + what stays behind.
 */

const lastClosedDate = addDays(booksNow.slice(0, 10), -1);
const minor = z.object({ minorUnits: z.number().int() });

const payoutModel = z.object({
  payoutId: z.string(),
  payoutNumber: z.string(),
  date: z.string(),
  amount: minor,
  bankText: z.string().nullable(),
  balanceAfter: minor,
  coveredDates: z.array(z.string()),
  isCoverageComplete: z.boolean(),
  openingBalance: minor,
  moneyMovements: z.array(z.object({ entryType: z.string(), ledgerDate: z.string(), amount: minor, pspReference: z.string().nullable() })),
  totals: z.object({ byType: z.array(z.object({ entryType: z.string(), count: z.number().int(), amount: minor })) }),
});
type PayoutAnswer = z.infer<typeof payoutModel>;

const payoutFields = /* GraphQL */ `
  fragment PayoutFields on Payout {
    payoutId payoutNumber date amount { minorUnits } bankText balanceAfter { minorUnits }
    coveredDates isCoverageComplete openingBalance { minorUnits }
    moneyMovements { entryType ledgerDate amount { minorUnits } pspReference }
    totals { byType { entryType count amount { minorUnits } } }
  }
`;

function payoutsQuery(ranges: number): string {
  const variables = Array.from({ length: ranges }, (_, index) => `$from${index}: Date!, $to${index}: Date!`).join(', ');
  const fields = Array.from({ length: ranges }, (_, index) => `r${index}: payouts(from: $from${index}, to: $to${index}) { ...PayoutFields }`);
  return `query Payouts($ledgerId: String!, ${variables}) {
    ledger(id: $ledgerId) { __typename ... on Ledger { ${fields.join('\n')} } }
  } ${payoutFields}`;
}

const payoutsModel = z.object({ ledger: z.object({ __typename: z.literal('Ledger') }).catchall(z.array(payoutModel)) });

const lookupQuery = /* GraphQL */ `
  query Lookup($ledgerId: String!, $payoutNumber: String!, $near: Date!) {
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
`;
const lookupModel = z.object({
  ledger: z.object({
    payout: z.union([
      z.object({ __typename: z.literal('Payout'), payoutId: z.string(), date: z.string(), amount: minor }),
      z.object({ __typename: z.literal('NotFoundError'), message: z.string() }),
    ]),
  }),
});

/** What the raw dates say each payout of the dates must be. */
function expectedPayouts(ledgerId: string, days: readonly RawAccountDay[]) {
  const expected: PayoutAnswer[] = [];
  let previous: number | null = null;
  for (const [index, day] of days.entries()) {
    const entry = day.entries.find(isPayout);
    if (entry === undefined) continue;
    // Before the first payout the walk back finds none: it covers the whole window (62 dates).
    const covered = previous === null ? datesFrom(addDays(day.date, -61), day.date) : days.slice(previous + 1, index + 1).map((d) => d.date);
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
      isCoverageComplete: previous !== null,
      openingBalance: { minorUnits: movements[0]?.balanceBefore ?? Number.NaN },
      moneyMovements: movements.map((movement) => ({
        entryType: movement.entryType,
        ledgerDate: movement.ledgerDate,
        amount: { minorUnits: movement.amount },
        pspReference: movement.pspReference ?? null,
      })),
      totals: { byType: [...byType.values()].sort((a, b) => a.entryType.localeCompare(b.entryType)) },
    });
    previous = index;
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
  const harness = useBooksHarness();

  it.each(ledgerKinds)('of %s equal the movements they cover', async (_name, pick) => {
    const ledger = await harness().ledger(pick);
    // Sixty-two dates before the first payout are read by hand as well: its walk back covers them.
    const dates = datesFrom(addDays(ledger.firstLedgerDate, -62), lastClosedDate);
    const { ranges, variables } = rangesOf(dates.filter((date) => date >= ledger.firstLedgerDate));

    const [answer, funds] = await Promise.all([
      harness().gateway().query(payoutsModel, payoutsQuery(ranges.length), { ledgerId: ledger.ledgerId, ...variables }),
      Promise.all(dates.map((date) => harness().raw.account(ledger.ledgerId, 'funds', date))),
    ]);
    const payouts = ranges.flatMap((_, index) => answer.ledger[`r${index}`] ?? []);
    expect(payouts).toEqual(expectedPayouts(ledger.ledgerId, funds));
    expect(payouts.length).toBeGreaterThanOrEqual(ledger.settlement === 'monthly' ? 2 : 5);

    for (const payout of payouts) {
      const beforePayout = payout.moneyMovements.slice(0, -1).reduce((sum, movement) => sum + movement.amount.minorUnits, 0);
      expect(payout.openingBalance.minorUnits + beforePayout, payout.payoutId).toBe(payout.amount.minorUnits + payout.balanceAfter.minorUnits);
      expect(payout.moneyMovements.at(-1)?.entryType).toBe('payout-scheduled');
      expect(payout.balanceAfter.minorUnits).toBe(ledger.reserve);
      const covered = payout.coveredDates;
      expect(daysBetween(covered[0] ?? '', covered.at(-1) ?? '')).toBe(covered.length - 1);
    }
  });

  it('are found by number on the date given or up to 30 dates before it, and nowhere else', async () => {
    const ledger = await harness().ledger((candidate) => candidate.settlement === 'daily' && candidate.kind === 'vm');
    const dates = datesFrom('2026-04-20', '2026-04-30');
    const funds = await Promise.all(dates.map((date) => harness().raw.account(ledger.ledgerId, 'funds', date)));
    const scheduled = funds.flatMap((day) => day.entries.filter(isPayout).map((entry) => ({ entry, date: day.date })));
    const target = scheduled[0];
    if (target === undefined) throw new Error('a daily ledger pays out within ten dates');
    const gateway = harness().gateway();
    const lookup = (payoutNumberAsked: string, near: string) =>
      gateway.query(lookupModel, lookupQuery, { ledgerId: ledger.ledgerId, payoutNumber: payoutNumberAsked, near });

    const expected = { __typename: 'Payout', payoutId: target.entry.pspReference, date: target.date, amount: { minorUnits: -target.entry.amount } };
    expect((await lookup(payoutNumber(target.entry), addDays(target.date, 3))).ledger.payout).toEqual(expected);
    expect((await lookup(`${ledger.ledgerId}-${payoutNumber(target.entry)}`, addDays(target.date, 30))).ledger.payout).toEqual(expected);
    expect((await lookup(payoutNumber(target.entry), addDays(target.date, 31))).ledger.payout.__typename).toBe('NotFoundError');
    expect((await lookup(payoutNumber(target.entry), addDays(target.date, -1))).ledger.payout.__typename).toBe('NotFoundError');

    // A number not paid out yet: the first payout read is older, so the walk stops there.
    await harness().resetStats();
    const future = String(Number(payoutNumber(target.entry)) + 10_000);
    expect((await gateway.query(lookupModel, lookupQuery, { ledgerId: ledger.ledgerId, payoutNumber: future, near: '2026-04-25' })).ledger.payout.__typename).toBe(
      'NotFoundError',
    );
    expect((await harness().stats())['GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}']).toBeLessThanOrEqual(1);

    const bad = await gateway.answer(lookupQuery, { ledgerId: ledger.ledgerId, payoutNumber: 'latest', near: '2026-04-25' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'payoutNumber' });
  });
});

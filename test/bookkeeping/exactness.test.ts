import { describe, expect } from 'vitest';
import { addDays, datesFrom } from '../../src/kernel/calendar.ts';
import type { LedgerTraits } from '../support/emulator.ts';
import { today } from '../support/clock.ts';
import { narrow, present } from '../support/answers.ts';
import { BooksPeriod } from './books-documents.ts';
import { canonicalBooks, expectedBooks } from './canonical.ts';
import { isPayout, payoutNumber } from './expected.ts';
import { it, rangesOf } from './harness.ts';
import type { RawDay } from './raw.ts';

/**
 * For every closed date of ledgers of every kind, from two dates before their history starts
 * to the day before the clock (65 to 74 dates), the books the gateway answers equal the sums
 * computed here from the emulator's raw REST answers: balances, every entry type of both
 * accounts, sales by solution, payment type and VAT rate, and the payout of the date. Each
 * range of at most 31 dates is summed as a whole as well.
 */

const lastClosedDate = addDays(today, -1);

const ledgerKinds: Array<[string, (ledger: LedgerTraits) => boolean]> = [
  ['a daily Vippsnummer ledger with a 04:00 cut-off', (ledger) => ledger.kind === 'vm' && ledger.cutoffHour === 4],
  ['a ledger with a rolling reserve', (ledger) => ledger.reserve > 0],
  ['a ledger that goes negative, carries it without payout and is topped up', (ledger) => ledger.events.negativeBalance],
  ['a monthly ledger with gross settlement', (ledger) => ledger.settlement === 'monthly' && ledger.feeSettlement === 'gross'],
  ['a weekly mPOS ledger with cash', (ledger) => ledger.kind === 'mpos' && ledger.settlement === 'weekly'],
  ['an ePayment ledger, which has no Sales data', (ledger) => ledger.kind === 'epayment'],
];

describe('ledger books are exact', () => {
  it.for(ledgerKinds)('for every closed date of %s', async ([, pick], { emulator, gateway, raw }) => {
    const ledger = await emulator.ledger(pick);
    const dates = datesFrom(addDays(ledger.firstLedgerDate, -2), lastClosedDate);
    expect(dates.length).toBeGreaterThanOrEqual(60);
    const ranges = rangesOf(dates);
    const rawDays = await raw.days(ledger.ledgerId, dates);
    // One range after the other: a payout's walk back then finds the dates before it in the cache.
    const periods = [];
    for (const { from, to } of ranges) {
      const answer = await gateway.execute(BooksPeriod, { ledgerId: ledger.ledgerId, from, to });
      periods.push(present(narrow(answer.ledger, 'Ledger').period, `the period ${from}..${to}`));
    }

    let before: { funds: number | null; fees: number | null } = { funds: null, fees: null };
    let payouts = 0;
    for (const [index, range] of ranges.entries()) {
      const period = periods[index];
      if (period === undefined) throw new Error(`period ${index} is missing from the answers`);
      const rangeDays = rawDays.filter((day) => range.dates.includes(day.date));
      expect({ from: period.from, to: period.to }).toEqual({ from: range.from, to: range.to });
      expect(canonicalBooks(period), `the period ${period.from}..${period.to}`).toEqual(expectedBooks(rangeDays, before));

      for (const [dayIndex, day] of period.days.entries()) {
        const rawDay: RawDay | undefined = rangeDays[dayIndex];
        if (rawDay === undefined) throw new Error(`no raw answer for ${day.date}`);
        expect(day.date).toBe(rawDay.date);
        const expected = expectedBooks([rawDay], before);
        expect(canonicalBooks(day), `the books of ${day.date}`).toEqual(expected);
        const scheduled = rawDay.funds.entries.find(isPayout);
        expect(day.payout, `the payout of ${day.date}`).toEqual(
          scheduled === undefined ? null : { payoutNumber: payoutNumber(scheduled), amount: { minorUnits: -scheduled.amount } },
        );
        if (scheduled !== undefined) payouts += 1;
        before = { funds: expected.funds.closing, fees: expected.fees.closing };
      }
    }
    // Every kind pays out at least once over two months, and the sums are not all zero.
    expect(payouts).toBeGreaterThan(0);
    expect(rawDays.some((day) => day.funds.entries.length > 0)).toBe(true);
  });
});

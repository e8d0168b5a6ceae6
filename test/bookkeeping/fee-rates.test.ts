import { describe, expect } from 'vitest';
import { feeRate } from '../../src/bookkeeping/fee-rates.ts';
import { addDays, datesFrom } from '../../src/kernel/calendar.ts';
import { graphql } from '../gql/index.ts';
import { narrow, present } from '../support/answers.ts';
import { today } from '../support/clock.ts';
import { it } from './harness.ts';
import type { RawReportEntry } from './raw.ts';

/**
 * Fees against captures, per sale, per month and per sales unit, against sums of the raw dates:
 * fees are every fees entry but the settlements (`fees-retained`, `fees-invoiced`), captured the
 * `capture` entries on funds; the rate is checked by what rounding to the millionth means.
 */

const LedgerFees = graphql(`
  query LedgerFees($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        fees(from: $from, to: $to) {
          totals { ...FeeFigures }
          byMonth { month totals { ...FeeFigures } }
          bySalesUnit { recipientHandle totals { ...FeeFigures } }
        }
      }
    }
  }
  fragment FeeFigures on FeeSummary {
    fees { minorUnits } feeEntries captured { minorUnits } captures effectiveRate { partsPerMillion percent }
  }
`);

const SaleFees = graphql(`
  query SaleFees($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        sales(date: $date, first: 1000) {
          edges { node { pspReference entryType feeTotals { ...FeeFigures } } }
        }
      }
    }
  }
`);

const settlements = new Set(['fees-retained', 'fees-invoiced']);

interface Figures {
  fees: number;
  feeEntries: number;
  captured: number;
  captures: number;
}

function figuresOf(funds: readonly RawReportEntry[], fees: readonly RawReportEntry[]): Figures {
  const captures = funds.filter((entry) => entry.entryType === 'capture');
  const charges = fees.filter((entry) => !settlements.has(entry.entryType));
  const sum = (entries: readonly RawReportEntry[]) => entries.reduce((total, entry) => total + entry.amount, 0);
  return { fees: 0 - sum(charges), feeEntries: charges.length, captured: sum(captures), captures: captures.length };
}

/** The answer as the raw sums say, with a rate that is `fees / captured` rounded to the nearest millionth. */
function expectFigures(answer: { fees: { minorUnits: number }; feeEntries: number; captured: { minorUnits: number }; captures: number; effectiveRate: { partsPerMillion: number; percent: string } | null }, expected: Figures, label: string) {
  expect({ fees: answer.fees.minorUnits, feeEntries: answer.feeEntries, captured: answer.captured.minorUnits, captures: answer.captures }, label).toEqual(expected);
  if (expected.captured === 0) return expect(answer.effectiveRate, label).toBeNull();
  const rate = present(answer.effectiveRate, 'effectiveRate');
  // Nearest millionth: |ppm × captured − fees × 10^6| ≤ captured / 2, in integers.
  const error = BigInt(rate.partsPerMillion) * BigInt(expected.captured) - BigInt(expected.fees) * 1_000_000n;
  expect(2n * (error < 0n ? -error : error) <= BigInt(Math.abs(expected.captured)), label).toBe(true);
  expect(Number(rate.percent) * 10_000).toBeCloseTo(rate.partsPerMillion, 6);
}

describe('fees against captures', () => {
  it('sums a ledger range in all, per month and per sales unit, ledger-wide fees apart', { timeout: 120_000 }, async ({ emulator, gateway, raw }) => {
    const ledgers = (await emulator.grantedLedgers()).filter((ledger) => !ledger.busiest && ledger.kind !== 'epayment');
    const twoUnits = present(ledgers.find((ledger) => ledger.recipientHandles.length === 2), 'a ledger with two sales units');
    const mpos = present(ledgers.find((ledger) => ledger.kind === 'mpos' && ledger.serviceFee > 0), 'an mPOS ledger renting a terminal');
    // Across a month's end, so that both months and the mPOS rental on the first show.
    const [from, to] = ['2026-04-16', '2026-05-16'];
    for (const ledger of [twoUnits, mpos]) {
      const days = await raw.days(ledger.ledgerId, datesFrom(from, to));
      const funds = days.flatMap((day) => day.funds.entries);
      const fees = days.flatMap((day) => day.fees.entries);
      const answer = present(narrow((await gateway.execute(LedgerFees, { ledgerId: ledger.ledgerId, from, to })).ledger, 'Ledger').fees, 'fees');
      expectFigures(answer.totals, figuresOf(funds, fees), `${ledger.ledgerId} total`);
      expect(answer.byMonth.map((group) => group.month)).toEqual(['2026-04', '2026-05']);
      for (const group of answer.byMonth) {
        const inMonth = (entry: RawReportEntry) => entry.ledgerDate.startsWith(group.month);
        expectFigures(group.totals, figuresOf(funds.filter(inMonth), fees.filter(inMonth)), `${ledger.ledgerId} ${group.month}`);
      }
      const handles = [...new Set([...funds, ...fees].filter((entry) => entry.entryType === 'capture' || !settlements.has(entry.entryType)).map((entry) => entry.recipientHandle ?? null))];
      expect(new Set(answer.bySalesUnit.map((group) => group.recipientHandle))).toEqual(new Set(handles.filter((handle) => handle !== null || fees.some((entry) => entry.recipientHandle == null && !settlements.has(entry.entryType)))));
      for (const group of answer.bySalesUnit) {
        const ofUnit = (entry: RawReportEntry) => (entry.recipientHandle ?? null) === group.recipientHandle;
        expectFigures(group.totals, figuresOf(funds.filter(ofUnit), fees.filter(ofUnit)), `${ledger.ledgerId} ${group.recipientHandle}`);
      }
    }
    const unitsOf = async (ledgerId: string) =>
      present(narrow((await gateway.execute(LedgerFees, { ledgerId, from, to })).ledger, 'Ledger').fees, 'fees').bySalesUnit.map((group) => group.recipientHandle);
    expect(await unitsOf(twoUnits.ledgerId)).toEqual(expect.arrayContaining(twoUnits.recipientHandles));
    expect((await unitsOf(mpos.ledgerId)).at(-1)).toBeNull();
  });

  it("gives each sale its fees, captured amount and rate from its own date and the next", async ({ emulator, gateway, raw }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && !candidate.busiest);
    const date = addDays(today, -6);
    const [own, next] = await raw.days(ledger.ledgerId, [date, addDays(date, 1)]);
    const funds = [...present(own, 'date').funds.entries, ...present(next, 'next date').funds.entries];
    const fees = [...present(own, 'date').fees.entries, ...present(next, 'next date').fees.entries];
    const answer = await gateway.execute(SaleFees, { ledgerId: ledger.ledgerId, date });
    const sales = present(narrow(answer.ledger, 'Ledger').sales, 'sales').edges.map((edge) => edge.node);
    expect(sales.length).toBeGreaterThan(5);
    for (const sale of sales.filter((candidate) => candidate.pspReference !== null)) {
      const mine = (entry: RawReportEntry) => entry.pspReference === sale.pspReference;
      expectFigures(present(sale.feeTotals, 'feeTotals'), figuresOf(funds.filter(mine), fees.filter(mine)), String(sale.pspReference));
    }
  });

  it('rounds the rate half away from zero, to the millionth, and has none without captures', () => {
    expect(feeRate(175, 10_000)).toEqual({ partsPerMillion: 17_500, percent: '1.7500' });
    expect(feeRate(1, 3)).toEqual({ partsPerMillion: 333_333, percent: '33.3333' });
    expect(feeRate(1, 2_000_000)).toEqual({ partsPerMillion: 1, percent: '0.0001' });
    expect(feeRate(-1, 2_000_000)).toEqual({ partsPerMillion: -1, percent: '-0.0001' });
    expect(feeRate(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toEqual({ partsPerMillion: 1_000_000, percent: '100.0000' });
    expect(feeRate(5, 0)).toBeNull();
  });
});

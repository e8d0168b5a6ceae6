import { describe, expect, it } from 'vitest';
import { addExact, sumExact } from '../../src/kernel/exact.ts';
import { datesFrom } from '../../src/kernel/calendar.ts';
import { movementTotals } from '../../src/bookkeeping/movements.ts';
import { comparePayoutNumbers, findPayout, payoutCoverage, payoutsOn } from '../../src/bookkeeping/payouts.ts';
import { rangeDates, ReadBudget } from '../../src/bookkeeping/ranges.ts';
import type { AccountDay, LedgerReader } from '../../src/bookkeeping/reader.ts';
import { reconcile } from '../../src/bookkeeping/reconcile.ts';
import { saleVat, vatBreakdown } from '../../src/bookkeeping/vat.ts';
import type { ReportEntry } from '../../src/sources/report/models.ts';
import type { SalesEntry, SalesLine } from '../../src/sources/sales/models.ts';

/**
 * The bookkeeping arithmetic on hand-written data, where every figure can be checked by eye:
 * the net-settlement day worked through in the Report API documentation, and the VAT and
 * matching cases the emulator produces rarely or never (amount mismatches, duplicates, VAT
 * given for a whole basket).
 */

function entry(fields: Partial<ReportEntry> & Pick<ReportEntry, 'entryType' | 'amount' | 'balanceBefore'>): ReportEntry {
  return {
    pspReference: null,
    time: '2022-10-01T12:00:00Z',
    ledgerDate: '2022-10-01',
    reference: null,
    currency: 'NOK',
    recipientHandle: 'NO:57860',
    balanceAfter: fields.balanceBefore + fields.amount,
    ...fields,
  };
}

/** The worked example of the Report API guide (§4.12 of the upstream notes): one day, net settlement. */
const workedFunds: AccountDay = {
  date: '2022-10-01',
  isClosed: true,
  entries: [
    entry({ entryType: 'capture', amount: 10000, balanceBefore: 0, reference: 'purchase-12', pspReference: '3343121302' }),
    entry({ entryType: 'capture', amount: 10000, balanceBefore: 10000, reference: 'purchase-12', pspReference: '3334234112' }),
    entry({ entryType: 'capture', amount: 20000, balanceBefore: 20000, reference: 'purchase-14', pspReference: '3259823497' }),
    entry({ entryType: 'refund', amount: -10000, balanceBefore: 40000, reference: 'purchase-12', pspReference: '1154320987' }),
    entry({ entryType: 'fees-retained', amount: -1200, balanceBefore: 30000, reference: '', pspReference: '01H7W7Q6Y5R-3G58CTAZX0MHKV2', recipientHandle: null }),
    entry({
      entryType: 'payout-scheduled',
      amount: -28800,
      balanceBefore: 28800,
      reference: 'Vipps utbet. 2000023 Vippsnr 57860',
      pspReference: '12345-2000023',
      recipientHandle: null,
    }),
  ],
};
const workedFees: AccountDay = {
  date: '2022-10-01',
  isClosed: true,
  entries: [
    entry({ entryType: 'capture-fee', amount: -400, balanceBefore: 0, reference: 'purchase-12', pspReference: '3343121302' }),
    entry({ entryType: 'capture-fee', amount: -400, balanceBefore: -400, reference: 'purchase-12', pspReference: '3334234112' }),
    entry({ entryType: 'capture-fee', amount: -400, balanceBefore: -800, reference: 'purchase-14', pspReference: '3259823497' }),
    entry({ entryType: 'fees-retained', amount: 1200, balanceBefore: -1200, reference: '', pspReference: '12345-2000321', recipientHandle: null }),
  ],
};

/** Whole dates from memory, counting what is read. */
function memoryReader(funds: Record<string, readonly ReportEntry[]>): LedgerReader & { reads: string[] } {
  const reads: string[] = [];
  const day = (date: string, entries: readonly ReportEntry[] = []): AccountDay => ({ date, isClosed: true, entries });
  return {
    ledgerId: '12345',
    reads,
    funds: async (date) => {
      reads.push(date);
      return day(date, funds[date]);
    },
    fees: async (date) => day(date),
    sales: async (date) => ({ date, entries: [] }),
  };
}

function line(fields: Partial<SalesLine> & Pick<SalesLine, 'lineTotalGross'>): SalesLine {
  return {
    lineId: '1',
    name: 'Item',
    quantity: 1,
    unitPriceGross: fields.lineTotalGross,
    unitPriceNet: null,
    discountTotal: 0,
    lineTotalNet: null,
    vatRate: null,
    vatAmount: null,
    category: null,
    ...fields,
  };
}

function sale(fields: Partial<SalesEntry> & Pick<SalesEntry, 'amounts'>): SalesEntry {
  return {
    entryType: 'capture',
    time: '2022-10-01T12:00:00Z',
    orderDate: null,
    pspReference: '1',
    reference: 'order-1',
    currency: 'NOK',
    paymentType: 'WALLET',
    classification: { solution: 'SHOPPING_BASKET', salesCategory: null },
    lines: [],
    completeness: null,
    ...fields,
  };
}

describe('the worked net-settlement day', () => {
  it('sums to the documented figures', () => {
    const totals = movementTotals([
      { topic: 'funds', days: [workedFunds] },
      { topic: 'fees', days: [workedFees] },
    ]);
    expect(totals.captures).toEqual({ count: 3, amount: 40000 });
    expect(totals.refunds).toEqual({ count: 1, amount: -10000 });
    expect(totals.captureFees).toEqual({ count: 3, amount: -1200 });
    expect(totals.feesRetained).toEqual({ count: 1, amount: -1200 });
    expect(totals.payouts).toEqual({ count: 1, amount: -28800 });
    // The fees-account mirror of fees-retained is not "other": the same fees counted once.
    expect(totals.other).toEqual([]);
    expect(totals.byType.map((group) => `${group.topic} ${group.entryType} ${group.amount}`)).toEqual([
      'fees capture-fee -1200',
      'fees fees-retained 1200',
      'funds capture 40000',
      'funds fees-retained -1200',
      'funds payout-scheduled -28800',
      'funds refund -10000',
    ]);
  });

  it('pays out payout 2000023 of 288.00, covering the date since the previous payout', async () => {
    const [payout] = payoutsOn('12345', workedFunds);
    expect(payout).toMatchObject({ payoutId: '12345-2000023', payoutNumber: '2000023', amount: 28800, balanceAfter: 0 });
    expect(payout?.bankText).toBe('Vipps utbet. 2000023 Vippsnr 57860');
    if (payout === undefined) return;
    const previous = entry({ entryType: 'payout-scheduled', amount: -5000, balanceBefore: 5000, pspReference: '12345-2000022', ledgerDate: '2022-09-30' });
    const reader = memoryReader({ '2022-10-01': workedFunds.entries, '2022-09-30': [previous] });
    const coverage = await payoutCoverage(reader, payout);
    expect(coverage).toMatchObject({ dates: ['2022-10-01'], complete: true, openingBalance: 0 });
  });

  it('covers empty dates back to the previous payout, and says when the window ends first', async () => {
    const [payout] = payoutsOn('12345', workedFunds);
    if (payout === undefined) throw new Error('the worked day pays out');
    const previous = entry({ entryType: 'scheduled-for-payout', amount: -1, balanceBefore: 1, pspReference: '12345-2000022' });
    const covered = await payoutCoverage(memoryReader({ '2022-10-01': workedFunds.entries, '2022-09-27': [previous] }), payout);
    expect(covered.dates).toEqual(['2022-09-28', '2022-09-29', '2022-09-30', '2022-10-01']);
    const reader = memoryReader({ '2022-10-01': workedFunds.entries });
    const alone = await payoutCoverage(reader, payout, 5);
    expect(alone).toMatchObject({ complete: false, dates: ['2022-09-27', '2022-09-28', '2022-09-29', '2022-09-30', '2022-10-01'] });
    expect(reader.reads).toHaveLength(5);
  });

  it('covers the dates of an earlier payout that was aborted, which it pays again', async () => {
    const [payout] = payoutsOn('12345', workedFunds);
    if (payout === undefined) throw new Error('the worked day pays out');
    const payoutEntry = (number: number, ledgerDate: string) =>
      entry({ entryType: 'payout-scheduled', amount: -5000, balanceBefore: 5000, pspReference: `12345-${number}`, ledgerDate });
    const aborted = entry({ entryType: 'payout-aborted', amount: 5000, balanceBefore: 0, pspReference: '12345-2000022', ledgerDate: '2022-10-01' });
    const reader = memoryReader({
      '2022-10-01': [aborted, ...workedFunds.entries],
      '2022-09-30': [payoutEntry(2000022, '2022-09-30')],
      '2022-09-28': [payoutEntry(2000021, '2022-09-28')],
    });
    const coverage = await payoutCoverage(reader, payout);
    expect(coverage.dates).toEqual(['2022-09-29', '2022-09-30', '2022-10-01']);
    expect(coverage.repays.map((repaid) => repaid.payoutId)).toEqual(['12345-2000022']);
    expect(coverage.complete).toBe(true);
  });

  it('finds a payout by number, probing back by how the numbers count up', async () => {
    const reader = memoryReader({ '2022-10-01': workedFunds.entries });
    expect(await findPayout(reader, '2000023', '2022-10-05')).toMatchObject({ date: '2022-10-01' });
    expect(reader.reads).toEqual(['2022-10-05', '2022-10-04', '2022-10-03', '2022-10-02', '2022-10-01']);
    const again = memoryReader({ '2022-10-01': workedFunds.entries });
    expect(await findPayout(again, '2000024', '2022-10-01')).toBeNull();
    expect(again.reads).toEqual(['2022-10-01']);
    // A payout every other date for most of a year: the one 200 dates back takes a few probes.
    const everyOther = Object.fromEntries(
      datesFrom('2022-01-01', '2022-10-01')
        .filter((_, index) => index % 2 === 0)
        .map((date, index) => [date, [entry({ entryType: 'payout-scheduled', amount: -1, balanceBefore: 1, pspReference: `12345-${2_000_000 + index}`, ledgerDate: date })]]),
    );
    const far = memoryReader(everyOther);
    expect(await findPayout(far, '2000010', '2022-10-01')).toMatchObject({ date: '2022-01-21', payoutNumber: '2000010' });
    expect(new Set(far.reads).size).toBeLessThan(15);
    // Below every number there is: the probes stop within their budget.
    const none = memoryReader(everyOther);
    expect(await findPayout(none, '1999000', '2022-10-01')).toBeNull();
    expect(new Set(none.reads).size).toBeLessThanOrEqual(93);
  });

  it('compares payout numbers as whole numbers', () => {
    expect(comparePayoutNumbers('999', '1000')).toBeLessThan(0);
    expect(comparePayoutNumbers('02000023', '2000023')).toBe(0);
    expect(comparePayoutNumbers('2000024', '2000023')).toBeGreaterThan(0);
  });
});

describe('VAT', () => {
  const rated = (lineTotalGross: number, vatRate: number, vatAmount: number) =>
    line({ lineTotalGross, vatRate, vatAmount, lineTotalNet: lineTotalGross - vatAmount });

  it('splits a partial basket into its rated lines and a gap, and counts VAT for a whole sale without a rate', () => {
    const partial = sale({ amounts: { gross: 32500, net: null, vat: null }, lines: [rated(9000, 2500, 1800), line({ lineTotalGross: 23500 })] });
    const openAmount = sale({ amounts: { gross: 11200, net: 10000, vat: 1200 }, classification: { solution: 'VARIABLE_AMOUNT', salesCategory: null } });
    const nothing = sale({ amounts: { gross: 15000, net: null, vat: null }, classification: { solution: 'VARIABLE_AMOUNT', salesCategory: null } });
    const refund = sale({ entryType: 'refund', amounts: { gross: -9000, net: -7200, vat: -1800 }, lines: [rated(-9000, 2500, -1800)] });
    const breakdown = vatBreakdown([partial, openAmount, nothing, refund]);
    expect(breakdown).toEqual({
      gross: 32500 + 11200 + 15000 - 9000,
      net: 7200 + 10000 - 7200,
      vat: 1800 + 1200 - 1800,
      byRate: [{ rate: 2500, lineCount: 2, gross: 0, net: 0, vat: 0 }],
      withoutRate: { saleCount: 1, gross: 11200, net: 10000, vat: 1200 },
      lacking: { saleCount: 2, lineCount: 1, gross: 23500 + 15000 },
    });
    expect(breakdown.gross).toBe(breakdown.net + breakdown.vat + breakdown.lacking.gross);
  });

  it('lets VAT given for a whole basket cover lines that carry none', () => {
    const vat = saleVat(sale({ amounts: { gross: 12500, net: 10000, vat: 2500 }, lines: [line({ lineTotalGross: 12500 })] }));
    expect(vat).toMatchObject({ lacksVat: false, lackingLines: 0, lackingGross: 0, withoutRate: { gross: 12500, net: 10000, vat: 2500 } });
  });
});

describe('reconciliation', () => {
  const funds = (date: string, entries: ReportEntry[], isClosed = true): AccountDay => ({ date, isClosed, entries });
  const capture = (pspReference: string, amount: number, fields: Partial<ReportEntry> = {}) =>
    entry({ entryType: 'capture', amount, balanceBefore: 0, pspReference, ...fields });

  it('tells matches, late bookings, mismatches, duplicates and missing sales apart', () => {
    const sales = [
      sale({ pspReference: 'a', amounts: { gross: 100, net: null, vat: null } }),
      sale({ pspReference: 'b', amounts: { gross: 200, net: null, vat: null } }),
      sale({ pspReference: 'c', amounts: { gross: 300, net: null, vat: null } }),
      sale({ pspReference: 'd', amounts: { gross: 400, net: null, vat: null } }),
      sale({ pspReference: null, paymentType: 'CASH', amounts: { gross: 500, net: null, vat: null } }),
    ];
    const result = reconcile({
      dates: ['2022-10-01'],
      funds: [funds('2022-10-01', [capture('a', 100), capture('c', 290), capture('a', 100), capture('z', 50), capture('y', 70, { recipientHandle: 'api:1' })])],
      fundsAfter: funds('2022-10-02', [capture('b', 200)]),
      sales: [{ date: '2022-10-01', entries: sales }],
      salesBefore: { date: '2022-09-30', entries: [sale({ pspReference: 'z', amounts: { gross: 50, net: null, vat: null } })] },
    });
    expect(result.sales.map((item) => [item.sale.pspReference, item.outcome])).toEqual([
      ['a', 'MATCHED'],
      ['b', 'BOOKED_NEXT_DATE'],
      ['c', 'AMOUNT_MISMATCH'],
      ['d', 'UNMATCHED'],
    ]);
    expect(result.cashSales).toHaveLength(1);
    expect(result.earlierSales.map((item) => [item.sale.pspReference, item.outcome])).toEqual([['z', 'MATCHED']]);
    // The second capture with pspReference `a` is no sale's: it is flagged, not matched again.
    expect(result.movementsWithoutSale.map((item) => [item.movement.pspReference, item.reason])).toEqual([
      ['a', null],
      ['y', 'API_PAYMENT'],
    ]);
    expect(result.totals).toEqual({
      salesGross: 1000,
      bookedForSales: 590,
      difference: -410,
      mismatchDifference: -10,
      pendingGross: 0,
      unmatchedGross: 400,
      bookedOnNextDate: 200,
      earlierSalesAmount: 50,
      withoutSaleAmount: 170,
      unexpectedAmount: 100,
      movementsAmount: 610,
    });
    expect(result.isFinal).toBe(true);
  });

  it('keeps a missing sale pending while the date after is open', () => {
    const result = reconcile({
      dates: ['2022-10-01'],
      funds: [funds('2022-10-01', [])],
      fundsAfter: funds('2022-10-02', [], false),
      sales: [{ date: '2022-10-01', entries: [sale({ pspReference: 'a', amounts: { gross: 100, net: null, vat: null } })] }],
      salesBefore: { date: '2022-09-30', entries: [] },
    });
    expect(result.sales[0]?.outcome).toBe('PENDING');
    expect(result.totals.pendingGross).toBe(100);
    expect(result.isFinal).toBe(false);
  });
});

describe('exact sums and ranges', () => {
  it('refuse a total beyond the exact integer range instead of rounding it', () => {
    expect(sumExact([Number.MAX_SAFE_INTEGER - 1, 1], (amount) => amount)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => addExact(Number.MAX_SAFE_INTEGER, 1)).toThrow(RangeError);
    expect(() => sumExact([Number.MAX_SAFE_INTEGER, 2, -5], (amount) => amount)).toThrow(RangeError);
  });

  it('hold at most a year of dates (366, for a leap year), and a budget counts each distinct read once', () => {
    const leapYear = rangeDates('2028-01-01', '2028-12-31');
    expect(leapYear).toEqual({ dates: expect.arrayContaining(['2028-01-01', '2028-02-29', '2028-12-31']) });
    expect('dates' in leapYear && leapYear.dates).toHaveLength(366);
    expect(rangeDates('2028-01-01', '2029-01-01')).toEqual({ problem: expect.stringContaining('got 367 dates') });
    expect(rangeDates('2026-01-02', '2026-01-01')).toHaveProperty('problem');
    const budget = new ReadBudget(2);
    expect([budget.charge('a'), budget.charge('a'), budget.charge('b'), budget.charge('c'), budget.charge('b')]).toEqual([true, true, true, false, true]);
    expect(budget.used).toBe(2);
  });
});

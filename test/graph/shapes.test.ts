import { describe, expect, it } from 'vitest';
import { movementShapesOf, salesOfDate } from '../../src/schema/joins/shapes.ts';
import { reportEntryModel } from '../../src/sources/report/models.ts';
import { salesEntryModel } from '../../src/sources/sales/models.ts';

/*
 * The shapes of a decoded date are made once and served to every request that reads it: these
 * check that they are the same objects, that they are never handed to a list of another ledger,
 * date or account, and that what they serve is what upstream sent.
 */

const sale = (pspReference: string, gross: number) =>
  salesEntryModel.parse({
    entryType: 'capture',
    time: '2026-06-04T10:00:00Z',
    orderDate: null,
    pspReference,
    reference: `order-${pspReference}`,
    currency: 'NOK',
    paymentType: null,
    amounts: { gross, net: null, vat: null },
    lines: [
      { lineId: '1', name: 'Bun', quantity: 2, unitPriceGross: 1250, unitPriceNet: 1000, discountTotal: 0, lineTotalGross: gross, lineTotalNet: null, vatRate: 2500, vatAmount: null, category: null },
    ],
    completeness: null,
  });

const capture = (pspReference: string, amount: number) =>
  reportEntryModel.parse({ pspReference, time: '2026-06-04T10:00:01Z', ledgerDate: '2026-06-04', entryType: 'capture', currency: 'NOK', amount, balanceBefore: 0, balanceAfter: amount });

describe('shapes of a decoded date', () => {
  it('are made once per date: a second read serves the same sales, amounts and lines', () => {
    const entries = [sale('a', 2500), sale('b', -5)];
    const first = salesOfDate('L1', '2026-06-04', entries);
    const second = salesOfDate('L1', '2026-06-04', entries);
    expect(second).toBe(first);
    const [a, b] = first;
    expect(a?.gross).toBe(a?.gross);
    expect(a?.orderLines).toBe(a?.orderLines);
    expect(a?.orderLines[0]?.vatRate).toBe(a?.orderLines[0]?.vatRate);
    // What is kept is exactly what upstream sent, however often it is read.
    expect([a?.gross?.decimal, a?.gross?.decimal, b?.gross?.decimal]).toEqual(['25.00', '25.00', '-0.05']);
    expect(a?.orderLines[0]?.vatRate?.percent).toBe('25.00');
    expect(a?.net).toBeNull();
  });

  it('are never served for another ledger or date than they were made for', () => {
    const entries = [sale('a', 100)];
    const made = salesOfDate('L1', '2026-06-04', entries);
    for (const [ledgerId, date] of [
      ['L2', '2026-06-04'],
      ['L1', '2026-06-05'],
    ] as const) {
      const other = salesOfDate(ledgerId, date, entries);
      expect(other).not.toBe(made);
      expect(other[0]?.ledgerId).toBe(ledgerId);
      expect(other[0]?.salesDates).toEqual([date]);
    }
    // The first date's shapes are still its own.
    expect(salesOfDate('L1', '2026-06-04', entries)).toBe(made);
  });

  it('make a money movement once per list of entries, for its own ledger and account only', () => {
    const found = [capture('a', 2500)];
    const funds = movementShapesOf('L1', 'funds', found);
    expect(movementShapesOf('L1', 'funds', found)).toBe(funds);
    expect(funds[0]?.amount).toBe(funds[0]?.amount);
    expect(funds[0]?.amount.decimal).toBe('25.00');
    const fees = movementShapesOf('L1', 'fees', found);
    expect(fees).not.toBe(funds);
    expect(fees[0]?.topic).toBe('fees');
    expect(movementShapesOf('L1', 'funds', [])).toEqual([]);
  });
});

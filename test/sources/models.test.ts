import { describe, expect, it } from 'vitest';
import { reportDatePageModel, reportEntryModel } from '../../src/sources/report/models.ts';
import { salesEntryModel, salesPageModel } from '../../src/sources/sales/models.ts';

const captureEntry = {
  pspReference: '3343121302',
  time: '2026-05-04T07:19:26.528092Z',
  ledgerDate: '2026-05-04',
  entryType: 'capture',
  reference: 'purchase-12',
  currency: 'NOK',
  amount: 10000,
  balanceBefore: 0,
  balanceAfter: 10000,
  recipientHandle: 'NO:57860',
};

describe('upstream models', () => {
  it('normalise a Sales entry whose optional parts are null or absent', () => {
    const entry = salesEntryModel.parse({
      entryType: 'capture',
      time: '2026-05-04T11:00:02Z',
      pspReference: null,
      reference: '12600001299',
      currency: 'NOK',
      classification: null,
      lines: [{ lineId: '2', name: 'Bolle', quantity: 1, unitPriceGross: 23500, unitPriceNet: null, lineTotalGross: 23500 }],
    });
    expect(entry).toMatchObject({
      orderDate: null,
      pspReference: null,
      paymentType: null,
      classification: { solution: null, salesCategory: null },
      amounts: { gross: null, net: null, vat: null },
      completeness: null,
    });
    expect(entry.lines[0]).toMatchObject({ unitPriceNet: null, discountTotal: null, vatRate: null, vatAmount: null, category: null });
    expect(salesEntryModel.parse({ ...entry, lines: null, amounts: undefined }).lines).toEqual([]);
  });

  it('refuse amounts that are not exact integers in minor units', () => {
    expect(reportEntryModel.safeParse({ ...captureEntry, amount: 100.5 }).success).toBe(false);
    expect(reportEntryModel.safeParse({ ...captureEntry, amount: '10000' }).success).toBe(false);
    expect(reportEntryModel.safeParse({ ...captureEntry, balanceAfter: 2 ** 53 }).success).toBe(false);
    expect(salesEntryModel.safeParse({ entryType: 'capture', time: 't', reference: 'r', currency: 'NOK', amounts: { gross: 1.5 } }).success).toBe(false);
  });

  it('keep entry types the gateway does not know yet', () => {
    expect(reportEntryModel.parse({ ...captureEntry, entryType: 'interchange-adjustment' }).entryType).toBe('interchange-adjustment');
  });

  it('refuse a page that has more but no cursor to get it', () => {
    expect(reportDatePageModel.safeParse({ items: [captureEntry], hasMore: true, tryLater: false }).success).toBe(false);
    expect(salesPageModel.safeParse({ items: [], hasMore: true }).success).toBe(false);
    expect(reportDatePageModel.parse({ items: [], tryLater: true })).toEqual({ items: [], hasMore: false, tryLater: true });
  });
});

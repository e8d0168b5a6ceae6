import type { RawAccountDay, RawDay, RawReportEntry, RawSale } from './raw.ts';

/**
 * The figures the bookkeeping views must show, computed here from the emulator's raw answers
 * with plain loops, apart from the gateway's code: what a careful accountant would add up.
 */

export interface Sum {
  count: number;
  amount: number;
}

function add(sums: Map<string, Sum>, key: string, amount: number): void {
  const sum = sums.get(key) ?? { count: 0, amount: 0 };
  sum.count += 1;
  sum.amount += amount;
  sums.set(key, sum);
}

/** Every entry type of both accounts, keyed `FUNDS capture`, `FEES capture-fee`, … */
export function movementsByType(days: readonly RawDay[]): Map<string, Sum> {
  const sums = new Map<string, Sum>();
  for (const day of days) {
    for (const entry of day.funds.entries) add(sums, `FUNDS ${entry.entryType}`, entry.amount);
    for (const entry of day.fees.entries) add(sums, `FEES ${entry.entryType}`, entry.amount);
  }
  return sums;
}

export interface SalesSum {
  count: number;
  gross: number;
  net: number;
  vat: number;
  countLackingVat: number;
  grossLackingVat: number;
}

export interface VatSums {
  byRate: Map<number, { lineCount: number; gross: number; net: number; vat: number }>;
  withoutRate: { saleCount: number; gross: number; net: number; vat: number };
  lacking: { saleCount: number; lineCount: number; gross: number };
}

export interface SalesSums {
  all: SalesSum;
  captures: SalesSum;
  refunds: SalesSum;
  cash: SalesSum;
  bySolution: Map<string, SalesSum>;
  byPaymentType: Map<string, SalesSum>;
  vat: VatSums;
}

const emptySalesSum = (): SalesSum => ({ count: 0, gross: 0, net: 0, vat: 0, countLackingVat: 0, grossLackingVat: 0 });

/** One sale's VAT: lines with a rate, else VAT for the whole sale, else nothing; the rest lacks it. */
function vatOf(sale: RawSale) {
  const rated = sale.lines.filter((line) => line.vatRate !== null && line.vatAmount !== null);
  const whole = rated.length === 0 && sale.amounts.net !== null && sale.amounts.vat !== null;
  let known = 0;
  let net = 0;
  let vat = 0;
  for (const line of rated) {
    known += line.lineTotalGross;
    net += line.lineTotalNet ?? line.lineTotalGross - (line.vatAmount ?? 0);
    vat += line.vatAmount ?? 0;
  }
  if (whole) {
    known = sale.amounts.gross;
    net = sale.amounts.net ?? 0;
    vat = sale.amounts.vat ?? 0;
  }
  const lackingLines = whole ? 0 : sale.lines.length - rated.length;
  const lacks = !whole && (rated.length === 0 || lackingLines > 0);
  return { rated, whole, net, vat, lacks, lackingLines, lackingGross: sale.amounts.gross - known };
}

function addSale(sum: SalesSum, sale: RawSale): void {
  const vat = vatOf(sale);
  sum.count += 1;
  sum.gross += sale.amounts.gross;
  sum.net += vat.net;
  sum.vat += vat.vat;
  if (vat.lacks) {
    sum.countLackingVat += 1;
    sum.grossLackingVat += vat.lackingGross;
  }
}

export function vatSums(sales: readonly RawSale[]): VatSums {
  const sums: VatSums = {
    byRate: new Map(),
    withoutRate: { saleCount: 0, gross: 0, net: 0, vat: 0 },
    lacking: { saleCount: 0, lineCount: 0, gross: 0 },
  };
  for (const sale of sales) {
    const vat = vatOf(sale);
    for (const line of vat.rated) {
      const rate = line.vatRate ?? -1;
      const total = sums.byRate.get(rate) ?? { lineCount: 0, gross: 0, net: 0, vat: 0 };
      total.lineCount += 1;
      total.gross += line.lineTotalGross;
      total.net += line.lineTotalNet ?? 0;
      total.vat += line.vatAmount ?? 0;
      sums.byRate.set(rate, total);
    }
    if (vat.whole) {
      sums.withoutRate.saleCount += 1;
      sums.withoutRate.gross += sale.amounts.gross;
      sums.withoutRate.net += vat.net;
      sums.withoutRate.vat += vat.vat;
    }
    if (vat.lacks) {
      sums.lacking.saleCount += 1;
      sums.lacking.lineCount += vat.lackingLines;
      sums.lacking.gross += vat.lackingGross;
    }
  }
  return sums;
}

export function salesSums(sales: readonly RawSale[]): SalesSums {
  const sums: SalesSums = {
    all: emptySalesSum(),
    captures: emptySalesSum(),
    refunds: emptySalesSum(),
    cash: emptySalesSum(),
    bySolution: new Map(),
    byPaymentType: new Map(),
    vat: vatSums(sales),
  };
  for (const sale of sales) {
    addSale(sums.all, sale);
    if (sale.entryType === 'capture') addSale(sums.captures, sale);
    if (sale.entryType === 'refund') addSale(sums.refunds, sale);
    if (sale.pspReference === null) addSale(sums.cash, sale);
    const solution = sale.classification.solution ?? 'null';
    sums.bySolution.set(solution, sums.bySolution.get(solution) ?? emptySalesSum());
    addSale(sums.bySolution.get(solution) ?? emptySalesSum(), sale);
    const paymentType = sale.paymentType ?? 'null';
    sums.byPaymentType.set(paymentType, sums.byPaymentType.get(paymentType) ?? emptySalesSum());
    addSale(sums.byPaymentType.get(paymentType) ?? emptySalesSum(), sale);
  }
  return sums;
}

/** Opening and closing balance of an account over consecutive days, given the closing before them. */
export function balances(days: readonly RawAccountDay[], closingBefore: number | null): { opening: number | null; closing: number | null } {
  const entries: RawReportEntry[] = days.flatMap((day) => day.entries);
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (first === undefined || last === undefined) return { opening: closingBefore, closing: closingBefore };
  return { opening: first.balanceBefore, closing: last.balanceAfter };
}

export const isPayout = (entry: RawReportEntry) => entry.entryType === 'payout-scheduled';

/** The payout number in `<ledgerId>-<number>`. */
export const payoutNumber = (entry: RawReportEntry) => (entry.pspReference ?? '').split('-').pop() ?? '';

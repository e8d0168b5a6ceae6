import type { SalesEntry } from '../sources/sales/models.ts';
import { addExact } from '../kernel/exact.ts';
import { entryOf } from '../kernel/memo.ts';
import { saleVat, VatTally, type SaleVat, type VatBreakdown } from './vat.ts';

/**
 * What was sold, summed exactly. `net` and `vat` cover the part of the gross that has VAT data;
 * the rest is `lackingVatGross`, so gross = net + vat + lackingVatGross wherever upstream's own
 * amounts add up.
 */
export interface SalesTally {
  count: number;
  gross: number;
  net: number;
  vat: number;
  /** Sales with some gross that has no VAT data. */
  lackingVatCount: number;
  lackingVatGross: number;
}

export interface SalesTotals {
  all: SalesTally;
  captures: SalesTally;
  refunds: SalesTally;
  /** Cash at an mPOS: sold, but no money moves through Vipps MobilePay. */
  cash: SalesTally;
  /** By upstream `classification.solution` (null when upstream does not say), in first-seen order. */
  bySolution: Array<SalesTally & { solution: string | null }>;
  byPaymentType: Array<SalesTally & { paymentType: string | null }>;
  vat: VatBreakdown;
}

const emptySalesTally = (): SalesTally => ({ count: 0, gross: 0, net: 0, vat: 0, lackingVatCount: 0, lackingVatGross: 0 });

function addSale(tally: SalesTally, vat: SaleVat): void {
  tally.count += 1;
  tally.gross = addExact(tally.gross, vat.gross);
  for (const line of vat.rated) {
    tally.net = addExact(tally.net, line.net);
    tally.vat = addExact(tally.vat, line.vat);
  }
  if (vat.withoutRate !== null) {
    tally.net = addExact(tally.net, vat.withoutRate.net);
    tally.vat = addExact(tally.vat, vat.withoutRate.vat);
  }
  if (vat.lacksVat) {
    tally.lackingVatCount += 1;
    tally.lackingVatGross = addExact(tally.lackingVatGross, vat.lackingGross);
  }
}

export function salesTotals(entries: Iterable<SalesEntry>): SalesTotals {
  const all = emptySalesTally();
  const captures = emptySalesTally();
  const refunds = emptySalesTally();
  const cash = emptySalesTally();
  const bySolution = new Map<string | null, SalesTally & { solution: string | null }>();
  const byPaymentType = new Map<string | null, SalesTally & { paymentType: string | null }>();
  const vatTally = new VatTally();
  for (const entry of entries) {
    const vat = saleVat(entry);
    vatTally.add(vat);
    addSale(all, vat);
    if (entry.entryType === 'capture') addSale(captures, vat);
    if (entry.entryType === 'refund') addSale(refunds, vat);
    if (entry.pspReference === null) addSale(cash, vat);
    const { solution } = entry.classification;
    addSale(entryOf(bySolution, solution, () => ({ solution, ...emptySalesTally() })), vat);
    const { paymentType } = entry;
    addSale(entryOf(byPaymentType, paymentType, () => ({ paymentType, ...emptySalesTally() })), vat);
  }
  return {
    all,
    captures,
    refunds,
    cash,
    bySolution: [...bySolution.values()],
    byPaymentType: [...byPaymentType.values()],
    vat: vatTally.result(),
  };
}

import type { SalesEntry, SalesLine } from '../sources/sales/models.ts';
import { addExact } from '../kernel/exact.ts';
import { entryOf } from '../kernel/memo.ts';

/**
 * VAT as the merchant entered it, allocated exactly. Each sale's gross splits into
 *  - lines with a VAT rate and amount: counted under their rate;
 *  - VAT given for the whole sale without a rate (an open amount with VAT): counted apart;
 *  - the rest, which lacks VAT data: a line without VAT, or a sale with none at all.
 * So for any set of sales: gross = Σ by rate + without rate + lacking, and net + VAT + lacking
 * gross = gross wherever upstream's own amounts add up.
 */

export interface VatAmounts {
  gross: number;
  net: number;
  vat: number;
}

export interface VatRateTotal extends VatAmounts {
  /** Basis points: 2500 is 25 %. */
  rate: number;
  lineCount: number;
}

export interface VatWithoutRate extends VatAmounts {
  saleCount: number;
}

export interface VatGap {
  saleCount: number;
  /** Lines without VAT data (a sale without lines and without VAT counts as a sale, not a line). */
  lineCount: number;
  gross: number;
}

export interface VatBreakdown extends VatAmounts {
  /** Highest rate first. */
  byRate: VatRateTotal[];
  withoutRate: VatWithoutRate;
  lacking: VatGap;
}

/** What one sale contributes. */
export interface SaleVat {
  gross: number;
  rated: Array<VatAmounts & { rate: number }>;
  withoutRate: VatAmounts | null;
  lackingGross: number;
  lackingLines: number;
  /** Some of the sale's gross has no VAT data. */
  lacksVat: boolean;
}

type RatedLine = SalesLine & { vatRate: number; vatAmount: number; lineTotalGross: number };

function isRated(line: SalesLine): line is RatedLine {
  return line.vatRate !== null && line.vatAmount !== null && line.lineTotalGross !== null;
}

/** A sale without a gross amount counts with the sum of its lines' gross (0 without lines). */
export function grossOf(entry: SalesEntry): number {
  if (entry.amounts.gross !== null) return entry.amounts.gross;
  let sum = 0;
  for (const line of entry.lines) sum = addExact(sum, line.lineTotalGross ?? 0);
  return sum;
}

/** Upstream entries never change once read: a sale summed by a period and by its day is split once. */
const splits = new WeakMap<SalesEntry, SaleVat>();

export function saleVat(entry: SalesEntry): SaleVat {
  return entryOf(splits, entry, () => splitSale(entry));
}

function splitSale(entry: SalesEntry): SaleVat {
  const gross = grossOf(entry);
  const ratedLines = entry.lines.filter(isRated);
  const rated = ratedLines.map((line) => ({
    rate: line.vatRate,
    gross: line.lineTotalGross,
    vat: line.vatAmount,
    net: line.lineTotalNet ?? addExact(line.lineTotalGross, -line.vatAmount),
  }));
  const { net, vat } = entry.amounts;
  const withoutRate = ratedLines.length === 0 && net !== null && vat !== null ? { gross, net, vat } : null;
  let allocated = withoutRate?.gross ?? 0;
  for (const line of rated) allocated = addExact(allocated, line.gross);
  // VAT given for the whole sale covers lines that carry none.
  const lackingLines = withoutRate === null ? entry.lines.length - ratedLines.length : 0;
  const lackingGross = addExact(gross, -allocated);
  const lacksVat = withoutRate === null && (rated.length === 0 || lackingLines > 0);
  return { gross, rated, withoutRate, lackingGross, lackingLines, lacksVat };
}

const emptyAmounts = (): VatAmounts => ({ gross: 0, net: 0, vat: 0 });

function addAmounts(total: VatAmounts, amounts: VatAmounts): void {
  total.gross = addExact(total.gross, amounts.gross);
  total.net = addExact(total.net, amounts.net);
  total.vat = addExact(total.vat, amounts.vat);
}

/** Sums sales into a VAT breakdown, one sale at a time. */
export class VatTally {
  readonly #byRate = new Map<number, VatRateTotal>();
  readonly #withoutRate: VatWithoutRate = { saleCount: 0, ...emptyAmounts() };
  readonly #lacking: VatGap = { saleCount: 0, lineCount: 0, gross: 0 };
  #gross = 0;

  add(vat: SaleVat): void {
    this.#gross = addExact(this.#gross, vat.gross);
    for (const line of vat.rated) {
      const total = entryOf(this.#byRate, line.rate, () => ({ rate: line.rate, lineCount: 0, ...emptyAmounts() }));
      total.lineCount += 1;
      addAmounts(total, line);
    }
    if (vat.withoutRate !== null) {
      this.#withoutRate.saleCount += 1;
      addAmounts(this.#withoutRate, vat.withoutRate);
    }
    if (vat.lacksVat) {
      this.#lacking.saleCount += 1;
      this.#lacking.lineCount += vat.lackingLines;
      this.#lacking.gross = addExact(this.#lacking.gross, vat.lackingGross);
    }
  }

  result(): VatBreakdown {
    const byRate = [...this.#byRate.values()].sort((a, b) => b.rate - a.rate);
    const known = { ...emptyAmounts() };
    for (const amounts of [...byRate, this.#withoutRate]) addAmounts(known, amounts);
    return {
      gross: this.#gross,
      net: known.net,
      vat: known.vat,
      byRate,
      withoutRate: { ...this.#withoutRate },
      lacking: { ...this.#lacking },
    };
  }
}

export function vatBreakdown(entries: Iterable<SalesEntry>): VatBreakdown {
  const tally = new VatTally();
  for (const entry of entries) tally.add(saleVat(entry));
  return tally.result();
}

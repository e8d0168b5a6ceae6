import { addExact } from '../kernel/exact.ts';
import { entryOf } from '../kernel/memo.ts';
import { minorUnitsToDecimal } from '../kernel/money.ts';
import { movementKindOf, type MovementKind } from '../kernel/movement-kinds.ts';
import type { ReportEntry } from '../sources/report/models.ts';
import type { AccountDay } from './reader.ts';

/**
 * What fees cost, against what was captured. Fees are every entry of the fees account that
 * charges or credits a fee (capture fees, their corrections, service fees, credit notes, and
 * types not known yet); `fees-retained` and `fees-invoiced` only settle the balance and are left
 * out. Captured is the sum of `capture` entries on funds (refunds carry no fees and do not lower it).
 */

/** Fees-account kinds that settle what is owed rather than charge a fee. */
const settlements: ReadonlySet<MovementKind> = new Set(['FEES_RETAINED', 'FEES_INVOICED']);

export function isFeeCharge(entry: ReportEntry): boolean {
  return !settlements.has(movementKindOf(entry.entryType));
}

export function isCapture(entry: ReportEntry): boolean {
  return movementKindOf(entry.entryType) === 'CAPTURE';
}

export interface FeeFigures {
  /** Fees charged, positive (a fee is negative on the fees account). */
  fees: number;
  feeEntries: number;
  captured: number;
  captures: number;
}

export const noFees = (): FeeFigures => ({ fees: 0, feeEntries: 0, captured: 0, captures: 0 });

export function addFee(figures: FeeFigures, entry: ReportEntry): void {
  figures.fees = addExact(figures.fees, -entry.amount);
  figures.feeEntries += 1;
}

export function addCapture(figures: FeeFigures, entry: ReportEntry): void {
  figures.captured = addExact(figures.captured, entry.amount);
  figures.captures += 1;
}

export interface FeeRate {
  /** fees / captured in millionths, rounded half away from zero. */
  partsPerMillion: number;
  /** The same as a percent with four decimals: 17_500 ppm → `"1.7500"`. */
  percent: string;
}

/**
 * The effective rate `fees / captured`, exact to the millionth: integer arithmetic on BigInt (the
 * product of two safe integers is not one), rounded half away from zero. Null when nothing was
 * captured: there is no rate of nothing.
 */
export function feeRate(fees: number, captured: number): FeeRate | null {
  if (captured === 0) return null;
  const numerator = BigInt(fees) * 1_000_000n;
  const denominator = BigInt(captured);
  const negative = numerator < 0n !== denominator < 0n;
  const [n, d] = [numerator < 0n ? -numerator : numerator, denominator < 0n ? -denominator : denominator];
  const rounded = (2n * n + d) / (2n * d);
  const partsPerMillion = Number(negative ? -rounded : rounded);
  return { partsPerMillion, percent: minorUnitsToDecimal(partsPerMillion, 4) };
}

export interface FeeGroups {
  total: FeeFigures;
  /** By the month (`YYYY-MM`) of the ledger date, oldest first. */
  byMonth: Array<{ month: string; figures: FeeFigures }>;
  /** By `recipientHandle`; null for fees of the whole ledger (service fees, credit notes). */
  bySalesUnit: Array<{ recipientHandle: string | null; figures: FeeFigures }>;
}

/** Fees and captures of some ledger dates, by month and by sales unit. */
export function feeGroups(funds: readonly AccountDay[], fees: readonly AccountDay[]): FeeGroups {
  const total = noFees();
  const months = new Map<string, FeeFigures>();
  const units = new Map<string | null, FeeFigures>();
  const groupsOf = (entry: ReportEntry) => {
    const month = entry.ledgerDate.slice(0, 7);
    const unit = entry.recipientHandle ?? null;
    return [total, entryOf(months, month, noFees), entryOf(units, unit, noFees)];
  };
  for (const entry of funds.flatMap((day) => day.entries).filter(isCapture)) for (const group of groupsOf(entry)) addCapture(group, entry);
  for (const entry of fees.flatMap((day) => day.entries).filter(isFeeCharge)) for (const group of groupsOf(entry)) addFee(group, entry);
  return {
    total,
    byMonth: [...months].sort(([a], [b]) => a.localeCompare(b)).map(([month, figures]) => ({ month, figures })),
    bySalesUnit: [...units]
      .sort(([a], [b]) => (a ?? '\uffff').localeCompare(b ?? '\uffff'))
      .map(([recipientHandle, figures]) => ({ recipientHandle, figures })),
  };
}

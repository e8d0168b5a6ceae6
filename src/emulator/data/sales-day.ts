import { dayMs, hourMs, ledgerDateStart, localToUtc, weekday } from './calendar.ts';
import { floors, type LedgerSpec } from './catalog.ts';
import { Rng } from './random.ts';
import { dayVolume } from './volume.ts';
import type { PaymentType, Product, Solution } from './profiles.ts';

/**
 * One ledger date of sales: every capture whose time falls in the date, and what later happens
 * to it (its fees, a refund, a dispute). Amounts and line choices are fixed here; strings are
 * made only when a page is written, so a year of history stays cheap to walk.
 */

export interface BasketLine {
  product: Product;
  quantity: number;
  /** Gross discount on the line, minor units. */
  discount: number;
}

export interface Refund {
  time: number;
  /** Negative: refunds are signed like the Report API. */
  gross: number;
  /** Indexes of the refunded lines, or null when the sale has no lines. */
  lines: number[] | null;
}

export interface Sale {
  seq: number;
  day: number;
  /** Capture time, UTC milliseconds on a whole second. */
  time: number;
  unit: number;
  solution: Solution;
  paymentType: PaymentType;
  gross: number;
  lines: BasketLine[] | null;
  /** VAT rate of an amount without lines, when the merchant gave one. */
  amountVatRate: number | null;
  salesCategory: string | null;
  /** Microseconds after the whole second at which the capture is written in the Report API. */
  micros: number;
  /** Milliseconds until the capture is booked on the ledger; past the cut-off it lands on the next date. */
  reportLag: number;
  /** Capture fees (negative) and when each is booked, relative to the capture. */
  fees: number[];
  feeLags: number[];
  refund: Refund | null;
  /** 0 none; 1 retained the next date; 2 retained, then returned the date after. */
  dispute: 0 | 1 | 2;
  /** Where in its date a dispute entry falls, as a fraction of the day. */
  disputeAt: number;
}

export interface SalesDay {
  day: number;
  start: number;
  end: number;
  sales: Sale[];
}

function lineTotal(line: BasketLine): number {
  return line.product.price * line.quantity - line.discount;
}

export function basketGross(lines: readonly BasketLine[]): number {
  let sum = 0;
  for (const line of lines) sum += lineTotal(line);
  return sum;
}

/** Sorted capture times: sorted uniforms pushed through the day's opening-hours intensity. */
function captureTimes(ledger: LedgerSpec, day: number, count: number, rng: Rng): Float64Array {
  const hours = ledger.profile.hours[weekday(day)];
  if (!hours || count === 0) return new Float64Array(0);
  const times = new Float64Array(count);
  const [open, close] = hours;
  const weights: number[] = [];
  for (let h = open; h < close; h++) {
    let w = 1;
    for (const [centre, height] of ledger.profile.peaks) w += height * Math.exp(-((h + 0.5 - centre) ** 2) / 1.28);
    weights.push(w);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < count; i++) {
    let u = rng.next() * total;
    let hour = open;
    for (const w of weights) {
      if (u < w) break;
      u -= w;
      hour++;
    }
    const localHour = Math.min(hour + u / (weights[hour - open] ?? 1), close - 1 / 3600);
    times[i] = Math.floor(localToUtc(ledger.timeZone, day * dayMs + localHour * hourMs) / 1000) * 1000;
  }
  return times.sort();
}

export function generateSalesDay(seed: string, ledger: LedgerSpec, day: number): SalesDay {
  const start = ledgerDateStart(ledger, day);
  const end = ledgerDateStart(ledger, day + 1);
  const rng = new Rng(seed, ledger.ledgerId, day, 'sales');
  const sales: Sale[] = [];
  if (end <= ledger.historyStart) return { day, start, end, sales };
  const times = captureTimes(ledger, day, dayVolume(seed, ledger, day), rng);
  for (const time of times) {
    if (time < ledger.historyStart || time < start || time >= end) continue;
    sales.push(generateSale(rng, ledger, { day, start, end }, time, sales.length));
  }
  return { day, start, end, sales };
}

function generateSale(rng: Rng, ledger: LedgerSpec, date: Omit<SalesDay, 'sales'>, time: number, seq: number): Sale {
  const profile = ledger.profile;
  let solution = weightedPick(rng, profile.solutions);
  if (solution === 'SHOPPING_BASKET' && time < floors.SHOPPING_BASKET) solution = 'VARIABLE_AMOUNT';
  const paymentType = weightedPick(rng, profile.payments);
  const keyedAmount = solution === 'MPOS' && rng.chance(0.1);
  const lines = solution === 'SHOPPING_BASKET' || (solution === 'MPOS' && !keyedAmount) ? basket(rng, profile.products, profile.basketLines) : null;
  const amountVatRate = lines === null && rng.chance(profile.openAmount.vatShare) ? profile.openAmount.vatRate : null;
  const gross = lines ? basketGross(lines) : openAmount(rng, profile.openAmount.min, profile.openAmount.max);
  const cash = paymentType === 'CASH';
  const fees: number[] = [];
  const feeLags: number[] = [];
  if (!cash) {
    fees.push(-Math.max(1, Math.round((gross * ledger.feeBasisPoints) / 10_000) + ledger.feeFixed));
    if (rng.chance(0.08)) fees.push(-Math.max(1, Math.round((gross * 35) / 10_000)));
    for (let i = 0; i < fees.length; i++) {
      // The fee pipeline is decoupled: most fees follow within a minute, some on the next date.
      feeLags.push(rng.chance(0.12) ? date.end - time + rng.int(300_000, 3 * 3_600_000) : rng.int(1_000, 60_000));
    }
  }
  const nearCutoff = date.end - time < 15 * 60_000;
  const reportLag = nearCutoff && rng.chance(0.5) ? date.end - time + rng.int(1_000, 600_000) : rng.int(1_000, 2_500);
  const refund = rng.chance(0.025) ? makeRefund(rng, date, time, gross, lines) : null;
  const disputable = !cash && refund === null;
  const dispute = disputable && rng.chance(ledger.kind === 'epayment' ? 0.004 : 0.002) ? (rng.chance(0.4) ? 2 : 1) : 0;
  return {
    seq, day: date.day, time, unit: ledger.salesUnits.length > 1 && rng.chance(0.45) ? 1 : 0, solution, paymentType, gross, lines,
    amountVatRate, salesCategory: lines === null ? rng.pick(profile.salesCategories) : null, micros: rng.int(0, 999_999),
    reportLag, fees, feeLags, refund, dispute, disputeAt: rng.next(),
  };
}

function weightedPick<T>(rng: Rng, options: ReadonlyArray<readonly [T, number]>): T {
  let total = 0;
  for (const [, weight] of options) total += weight;
  let u = rng.next() * total;
  for (const [option, weight] of options) {
    u -= weight;
    if (u < 0) return option;
  }
  const last = options[options.length - 1];
  if (!last) throw new Error('no options to pick from');
  return last[0];
}

function basket(rng: Rng, products: readonly Product[], meanLines: number): BasketLine[] {
  const count = Math.min(products.length, 1 + Math.floor(rng.exponential() * (meanLines - 1)));
  const lines: BasketLine[] = [];
  while (lines.length < count) {
    const product = products[rng.int(0, products.length - 1)];
    if (!product || lines.some((line) => line.product === product)) continue;
    const quantity = rng.chance(0.7) ? 1 : rng.int(2, 4);
    const discount = rng.chance(0.08) ? Math.round((product.price * quantity * rng.pick([10, 20, 25, 50])) / 100) : 0;
    lines.push({ product, quantity, discount });
  }
  return lines;
}

/** Whole major units mostly, as people type amounts; a long tail upwards. */
function openAmount(rng: Rng, min: number, max: number): number {
  const value = Math.min(max, min * Math.exp(rng.exponential() * 0.45 * Math.log(max / min)));
  return rng.chance(0.85) ? Math.max(min, Math.round(value / 100) * 100) : Math.round(value);
}

function makeRefund(rng: Rng, date: Omit<SalesDay, 'sales'>, time: number, gross: number, lines: BasketLine[] | null): Refund {
  const sameDay = time + 3 * 3_600_000 < date.end && rng.chance(0.6);
  // A next-day refund comes around the same time of day, kept inside the next date.
  const nextDayOffset = Math.min(Math.max(time - date.start + rng.int(-3_600, 3 * 3_600) * 1000, 3_600_000), 22 * 3_600_000);
  const at = sameDay ? time + rng.int(600, 3 * 3_600) * 1000 : date.end + nextDayOffset;
  if (lines && lines.length > 1 && rng.chance(0.4)) {
    const chosen = lines.map((_, index) => index).filter(() => rng.chance(0.5));
    const picked = chosen.length > 0 ? chosen : [0];
    let refunded = 0;
    for (const index of picked) {
      const line = lines[index];
      if (line) refunded += lineTotal(line);
    }
    return { time: at, gross: -refunded, lines: picked };
  }
  if (!lines && rng.chance(0.3)) return { time: at, gross: -Math.max(100, Math.round((gross * rng.int(20, 80)) / 10_000) * 100), lines: null };
  return { time: at, gross: -gross, lines: lines ? lines.map((_, index) => index) : null };
}

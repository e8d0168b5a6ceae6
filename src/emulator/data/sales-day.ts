import { dayMs, hourMs, ledgerDateStart, localToUtc, weekday } from './calendar.ts';
import { floors, type LedgerSpec } from './catalog.ts';
import { Rng } from './random.ts';
import { addGlitches, laterEntries, noLaterEntries } from './later-entries.ts';
import { dayVolume } from './volume.ts';
import type { Product } from './profiles.ts';
import type { BasketLine, Capture, Refund, Sale, SalesDay } from './sale-records.ts';

/**
 * One ledger date of sales: every capture whose time falls in the date, and what later happens
 * to it (its fees, a refund, later parts of its order, disputes and corrections). Amounts and line
 * choices are fixed here; strings are made only when a page is written, so a year of history
 * stays cheap to walk.
 */

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

/** Sales API sequence numbers of a date stay below this (see identifiers.ts). */
export const maxSalesPerDay = 10_000;

export function generateSalesDay(seed: string, ledger: LedgerSpec, day: number): SalesDay {
  const start = ledgerDateStart(ledger, day);
  const end = ledgerDateStart(ledger, day + 1);
  const rng = new Rng(seed, ledger.ledgerId, day, 'sales');
  const sales: Sale[] = [];
  if (end <= ledger.historyStart) return { day, start, end, sales };
  const times = captureTimes(ledger, day, Math.min(maxSalesPerDay, dayVolume(seed, ledger, day)), rng);
  for (const time of times) {
    if (time < ledger.historyStart || time < start || time >= end) continue;
    sales.push(generateSale(rng, ledger, { day, start, end }, time, sales.length));
  }
  if (ledger.events.glitches && start >= floors.SHOPPING_BASKET) addGlitches(rng, sales);
  return { day, start, end, sales };
}

/** Most sales have no later parts: they share this (never written to). */
const noParts: readonly Capture[] = Object.freeze([]);

function generateSale(rng: Rng, ledger: LedgerSpec, date: Omit<SalesDay, 'sales'>, time: number, seq: number): Sale {
  const profile = ledger.profile;
  const solution = weightedPick(rng, profile.solutions);
  const paymentType = weightedPick(rng, profile.payments);
  const keyedAmount = solution === 'MPOS' && rng.chance(0.1);
  const lines = solution === 'SHOPPING_BASKET' || (solution === 'MPOS' && !keyedAmount) ? basket(rng, profile.products, profile.basketLines) : null;
  const amountVatRate = lines === null && rng.chance(profile.openAmount.vatShare) ? profile.openAmount.vatRate : null;
  const gross = lines ? basketGross(lines) : openAmount(rng, profile.openAmount.min, profile.openAmount.max);
  const cash = paymentType === 'CASH';
  // Some orders are captured in parts on later dates (goods sent as they come in, a deposit first).
  const split = !cash && solution !== 'MPOS' && (lines ? lines.length >= 2 && rng.chance(0.04) : rng.chance(0.01));
  const shares = split ? splitOrder(rng, gross, lines) : null;
  const own = shares?.[0];
  // One object of one shape per sale, filled in place: a year of the busiest ledger is a few hundred thousand.
  const sale: Sale = {
    part: 0, time, gross: own?.gross ?? gross, lines: own ? own.lines : lines, micros: 0, reportLag: 0, fees: [], feeLags: [],
    refund: null, seq, day: date.day, unit: ledger.salesUnits.length > 1 && rng.chance(0.45) ? 1 : 0, solution, paymentType,
    amountVatRate, salesCategory: lines === null ? rng.pick(profile.salesCategories) : null, parts: noParts,
    later: noLaterEntries, salesMissing: false, bookedDelta: 0,
  };
  book(sale, rng, ledger, date, cash);
  if (rng.chance(0.025)) sale.refund = makeRefund(rng, refundTime(rng, date, time), sale.gross, sale.lines);
  if (shares !== null) sale.parts = laterParts(rng, ledger, sale, date, shares.slice(1));
  else if (!cash && sale.refund === null) sale.later = laterEntries(rng, ledger, sale);
  return sale;
}

/** The later partial captures of an order, each on a later date than the one before, around the time of day of the sale. */
function laterParts(rng: Rng, ledger: LedgerSpec, sale: Sale, date: Omit<SalesDay, 'sales'>, shares: ReadonlyArray<{ gross: number; lines: BasketLine[] | null }>): Capture[] {
  const parts: Capture[] = [];
  let partDay = date.day;
  for (const share of shares) {
    partDay += rng.int(1, 3);
    const partDate = { day: partDay, start: ledgerDateStart(ledger, partDay), end: ledgerDateStart(ledger, partDay + 1) };
    const offset = Math.min(Math.max(sale.time - date.start + rng.int(-7_200, 7_200) * 1000, hourMs), partDate.end - partDate.start - hourMs);
    const partTime = partDate.start + offset;
    const part: Capture = { part: parts.length + 1, time: partTime, gross: share.gross, lines: share.lines, micros: 0, reportLag: 0, fees: [], feeLags: [], refund: null };
    book(part, rng, ledger, partDate, false);
    // A part is refunded dates later, some of its lines or the whole of it.
    if (rng.chance(0.15)) part.refund = makeRefund(rng, partTime + rng.int(1, 3) * dayMs + rng.int(0, 3_600) * 1000, share.gross, share.lines);
    parts.push(part);
  }
  return parts;
}

/** How a capture is booked: its fees (unless never booked) and when they and the capture reach the ledger. */
function book(capture: Capture, rng: Rng, ledger: LedgerSpec, date: Omit<SalesDay, 'sales'>, cash: boolean): void {
  const { time, gross } = capture;
  // Now and then a capture's fee is never booked at all.
  if (!cash && !rng.chance(0.003)) {
    capture.fees.push(-Math.max(1, Math.round((gross * ledger.feeBasisPoints) / 10_000) + ledger.feeFixed));
    if (rng.chance(0.08)) capture.fees.push(-Math.max(1, Math.round((gross * 35) / 10_000)));
    for (let i = 0; i < capture.fees.length; i++) {
      // The fee pipeline is decoupled: most fees follow within a minute, some on the next date.
      capture.feeLags.push(rng.chance(0.12) ? date.end - time + rng.int(300_000, 3 * 3_600_000) : rng.int(1_000, 60_000));
    }
  }
  const nearCutoff = date.end - time < 15 * 60_000;
  capture.reportLag = nearCutoff && rng.chance(0.5) ? date.end - time + rng.int(1_000, 600_000) : rng.int(1_000, 2_500);
  capture.micros = rng.int(0, 999_999);
}

/** An order's gross cut into two or three captures: its lines shared out, or an open amount in parts. */
function splitOrder(rng: Rng, gross: number, lines: BasketLine[] | null): Array<{ gross: number; lines: BasketLine[] | null }> {
  if (lines === null) {
    const first = Math.max(100, Math.round((gross * rng.int(20, 60)) / 10_000) * 100);
    return first < gross ? [{ gross: first, lines: null }, { gross: gross - first, lines: null }] : [{ gross, lines: null }];
  }
  const count = lines.length >= 3 && rng.chance(0.4) ? 3 : 2;
  const groups: BasketLine[][] = Array.from({ length: count }, () => []);
  lines.forEach((line, index) => groups[index < count ? index : rng.int(0, count - 1)]?.push(line));
  return groups.map((group) => ({ gross: basketGross(group), lines: group }));
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

/** When a sale is refunded: later the same date, or around the same time of day on the next. */
function refundTime(rng: Rng, date: Omit<SalesDay, 'sales'>, time: number): number {
  const sameDay = time + 3 * 3_600_000 < date.end && rng.chance(0.6);
  // A next-day refund comes around the same time of day, kept inside the next date.
  const nextDayOffset = Math.min(Math.max(time - date.start + rng.int(-3_600, 3 * 3_600) * 1000, 3_600_000), 22 * 3_600_000);
  return sameDay ? time + rng.int(600, 3 * 3_600) * 1000 : date.end + nextDayOffset;
}

/** A refund at `at` of some lines of a capture, part of an open amount, or the whole of it. */
function makeRefund(rng: Rng, at: number, gross: number, lines: BasketLine[] | null): Refund {
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

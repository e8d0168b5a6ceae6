import { dateString, dayOfMonth, weekday } from './calendar.ts';
import { eventSeqBase } from './identifiers.ts';
import { hash32, Rng } from './random.ts';
import { chainBalances, copyRow, ledgerRow, saleRow, type DayInputs, type LedgerState, type Row, type SaleRole, type Topic } from './ledger-rows.ts';
import type { Sale } from './sale-records.ts';
import { closeDate } from './settlement.ts';

/**
 * One ledger date of the Report API, both topics: what the sales of this date and the one before
 * book on it (captures, late captures, fees, refunds), what earlier sales booked on it long after
 * (later partial captures, disputes, fee corrections, adjustments), and entries with no sale,
 * from the ledger's state at the start of the date. Entries are ordered by when they were
 * booked, so an open date only ever grows at its end and a feed cursor into it stays valid.
 */

export interface ReportDay {
  day: number;
  funds: Row[];
  fees: Row[];
  closing: LedgerState;
}

function byArrival(a: Row, b: Row): number {
  return a.arrival - b.arrival || a.time - b.time || (a.sale?.seq ?? 0) - (b.sale?.seq ?? 0) || a.part - b.part;
}

/** Where a sale's own bookings of a date go: rows of a page, or only their sums for the balance walk. */
type SaleBooking = (topic: Topic, sale: Sale, role: SaleRole, entryType: string, at: number, amount: number, arrival: number) => void;

/** What the sales of the date and the one before book on it: captures (late ones too), refunds and fees. */
function bookSales(sales: DayInputs['sales'], book: SaleBooking): void {
  const { start, end } = sales[1];
  for (const salesDay of sales) {
    for (const sale of salesDay.sales) {
      if (sale.paymentType === 'CASH') continue;
      const booked = sale.time + sale.reportLag;
      if (booked >= start && booked < end) book('funds', sale, 'capture', 'capture', sale.time, sale.gross + sale.bookedDelta, booked);
      const refund = sale.refund;
      if (refund && refund.time >= start && refund.time < end) book('funds', sale, 'refund', 'refund', refund.time, refund.gross, refund.time);
      for (let i = 0; i < sale.fees.length; i++) {
        const at = sale.time + (sale.feeLags[i] ?? 0);
        if (at >= start && at < end) book('fees', sale, 'fee', 'capture-fee', at, sale.fees[i] ?? 0, at);
      }
    }
  }
}

export function buildReportDay(inputs: DayInputs): ReportDay {
  const { ledger, day, opening, scheduled } = inputs;
  const rows = { funds: scheduled.funds.map(copyRow), fees: scheduled.fees.map(copyRow) };
  bookSales(inputs.sales, (topic, sale, role, entryType, at, amount, arrival) => rows[topic].push(saleRow(sale, sale, role, entryType, at, amount, arrival)));
  const { funds, fees } = rows;
  const events = new Rng(inputs.seed, ledger.ledgerId, day, 'events');
  const shortfall = addEvents(events, inputs, funds, fees);
  if (inputs.outsized) funds.push(...outsizedRows(inputs));
  funds.sort(byArrival);
  fees.sort(byArrival);
  if (shortfall) sizeShortfall(shortfall, opening.funds + sumOf(funds));
  const close = closeDate(inputs, chainBalances(funds, opening.funds), chainBalances(fees, opening.fees));
  funds.push(...close.funds);
  fees.push(...close.fees);
  return { day, funds, fees, closing: close.closing };
}

/**
 * The state a date closes with, as `buildReportDay` would leave it, without making its rows: the
 * balance walk passes every date of a ledger's history and needs only the sums. The same draws
 * in the same order, so the two can never disagree (test/emulator/* compares them).
 */
export function closingState(inputs: DayInputs): LedgerState {
  const { ledger, day, opening, scheduled } = inputs;
  const totals = { funds: sumOf(scheduled.funds), fees: sumOf(scheduled.fees) };
  bookSales(inputs.sales, (topic, _sale, _role, _entryType, _at, amount) => {
    totals[topic] += amount;
  });
  const funds: Row[] = [];
  const fees: Row[] = [];
  const shortfall = addEvents(new Rng(inputs.seed, ledger.ledgerId, day, 'events'), inputs, funds, fees);
  if (inputs.outsized) funds.push(...outsizedRows(inputs));
  if (shortfall) sizeShortfall(shortfall, opening.funds + totals.funds + sumOf(funds));
  return closeDate(inputs, opening.funds + totals.funds + sumOf(funds), opening.fees + totals.fees + sumOf(fees)).closing;
}

function sumOf(rows: readonly Row[]): number {
  let total = 0;
  for (const row of rows) total += row.amount;
  return total;
}

/** The correction that drives the balance below zero is sized against the rest of the date. */
function sizeShortfall(shortfall: Shortfall, totalWithoutIt: number): void {
  shortfall.row.amount = -(totalWithoutIt + shortfall.depth);
}

/** Each outsized entry: half of 2^53, so two of one type sum beyond ±(2^53 − 1) while every balance stays exact. */
export const outsizedAmount = 2 ** 52;

/**
 * The `outsizedDate` option's entries (never by default): two top-ups of 2^52 minor units, each
 * taken back at once by a correction. The date closes as it would without them, and every amount
 * and balance is a safe integer, but the top-ups of the date sum to 2^53: beyond what a JSON
 * number holds exactly, so the gateway must say so rather than round.
 */
function outsizedRows(inputs: DayInputs): Row[] {
  const { ledger, day } = inputs;
  const { start } = inputs.sales[1];
  const rows: Row[] = [];
  for (const n of [0, 1]) {
    const at = start + (2 + 2 * n) * 3_600_000;
    const pspReference = (k: number) => inputs.ids.pspReference({ slot: ledger.slot, day, seq: eventSeqBase + 6 + 2 * n + k });
    rows.push(ledgerRow(at, 'top-up', outsizedAmount, pspReference(0), `stor-${day}-${n}`));
    rows.push(ledgerRow(at + 60_000, 'correction', -outsizedAmount, pspReference(1), `stor-${day}-${n}-korr`));
  }
  return rows;
}

interface Shortfall {
  row: Row;
  depth: number;
}

/**
 * Entries with no sale behind them: corrections, aborted payouts, top-ups, and on ledgers that
 * rent a card terminal its monthly service fee and, now and then, a credit note against it.
 */
function addEvents(rng: Rng, inputs: DayInputs, funds: Row[], fees: Row[]): Shortfall | null {
  const { ledger, day, opening, sales } = inputs;
  const { start, end } = sales[1];
  const during = (from: number, to: number) => start + Math.floor((from + rng.next() * (to - from)) * (end - start) / 1000) * 1000;
  const eventId = (n: number) => inputs.ids.pspReference({ slot: ledger.slot, day, seq: eventSeqBase + n });
  if (rng.chance(0.01)) funds.push(ledgerRow(during(0.3, 0.9), 'correction', rng.pick([-1, 1]) * rng.int(100, 5_000), eventId(1), `korr-${day}-1`));
  if (ledger.serviceFee > 0) {
    const month = dateString(day).slice(0, 7);
    if (dayOfMonth(day) === 1) fees.push(ledgerRow(during(0.02, 0.05), 'service-fee', -ledger.serviceFee, eventId(4), `abonnement-${month}`));
    if (dayOfMonth(day) === 12 && rng.chance(0.35)) fees.push(ledgerRow(during(0.3, 0.6), 'credit-note', Math.round(ledger.serviceFee / 2), eventId(5), `kreditnota-${month}`));
  }
  const last = opening.lastPayout;
  if (ledger.events.payoutAborts && last && last.day === day - 1 && rng.chance(0.05)) {
    funds.push(ledgerRow(during(0.3, 0.35), 'payout-aborted', last.amount, `${ledger.ledgerId}-${last.number}`, last.reference));
  }
  if (!ledger.events.negativeBalance) return null;
  if (opening.negativeSince !== null && day - opening.negativeSince >= 5 && opening.funds < 0) {
    funds.push(ledgerRow(during(0.4, 0.45), 'top-up', -opening.funds, eventId(2), `faktura-${ledger.ledgerId}-${day}`));
  }
  // A bad Wednesday every four weeks (phase from the seed), so any two months of history show one.
  const badWeek = Math.floor((day + hash32(inputs.seed, ledger.ledgerId)) / 7) % 4 === 0;
  if (badWeek && weekday(day) === 3 && opening.negativeSince === null && opening.funds >= 0) {
    const row = ledgerRow(during(0.5, 0.6), 'correction', 0, eventId(3), `korr-${day}-3`);
    funds.push(row);
    return { row, depth: rng.int(30, 50) * ledger.profile.salesPerDay * ledger.profile.openAmount.min * 2 };
  }
  return null;
}

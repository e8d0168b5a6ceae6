import { dateString, dayOfMonth, weekday } from './calendar.ts';
import { eventSeqBase } from './identifiers.ts';
import { hash32, Rng } from './random.ts';
import { ledgerRow, saleRow, type DayInputs, type LedgerState, type Row } from './ledger-rows.ts';
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

export function buildReportDay(inputs: DayInputs): ReportDay {
  const { ledger, day, sales, opening, scheduled } = inputs;
  const [before, today] = sales;
  const { start, end } = today;
  const funds: Row[] = [...scheduled.funds];
  const fees: Row[] = [...scheduled.fees];
  for (const salesDay of [before, today]) {
    for (const sale of salesDay.sales) {
      if (sale.paymentType === 'CASH') continue;
      const booked = sale.time + sale.reportLag;
      if (booked >= start && booked < end) funds.push(saleRow(sale, sale, 'capture', 'capture', sale.time, sale.gross + sale.bookedDelta, booked));
      const refund = sale.refund;
      if (refund && refund.time >= start && refund.time < end) funds.push(saleRow(sale, sale, 'refund', 'refund', refund.time, refund.gross));
      for (let i = 0; i < sale.fees.length; i++) {
        const at = sale.time + (sale.feeLags[i] ?? 0);
        if (at >= start && at < end) fees.push(saleRow(sale, sale, 'fee', 'capture-fee', at, sale.fees[i] ?? 0));
      }
    }
  }
  const events = new Rng(inputs.seed, ledger.ledgerId, day, 'events');
  const shortfall = addEvents(events, inputs, funds, fees);
  funds.sort(byArrival);
  fees.sort(byArrival);
  if (shortfall) {
    // The correction that drives the balance below zero is sized against the rest of the date.
    let total = opening.funds;
    for (const row of funds) total += row.amount;
    shortfall.row.amount = -(total + shortfall.depth);
  }
  const closing = closeDate(inputs, funds, fees);
  return { day, funds, fees, closing };
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

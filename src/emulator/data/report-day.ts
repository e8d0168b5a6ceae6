import { eventSeqBase } from './identifiers.ts';
import { hash32, Rng } from './random.ts';
import type { Sale, SalesDay } from './sales-day.ts';
import { chainBalances, ledgerRow, type DayInputs, type LedgerState, type Row, type SaleRole } from './ledger-rows.ts';
import { closeDate } from './settlement.ts';

/**
 * One ledger date of the Report API, both topics, built from the sales of this date and the two
 * before it (late captures, next-day fees and refunds, disputes) plus the ledger's state at the
 * start of the date. Entries are ordered by when they were booked, so an open date only ever
 * grows at its end and a feed cursor into it stays valid.
 */

export interface ReportDay {
  day: number;
  funds: Row[];
  fees: Row[];
  closing: LedgerState;
}

function saleRow(sale: Sale, role: SaleRole, entryType: string, at: number, amount: number, arrival = at): Row {
  return {
    arrival, time: at + Math.floor(sale.micros / 1000), micros: sale.micros % 1000, entryType, amount,
    balanceBefore: 0, sale, role, pspReference: null, reference: null,
  };
}

function byArrival(a: Row, b: Row): number {
  return a.arrival - b.arrival || a.time - b.time || (a.sale?.seq ?? 0) - (b.sale?.seq ?? 0);
}

export function buildReportDay(inputs: DayInputs): ReportDay {
  const { ledger, day, sales, opening } = inputs;
  const [twoBefore, before, today] = sales;
  const { start, end } = today;
  const funds: Row[] = [];
  const fees: Row[] = [];
  for (const salesDay of [before, today]) {
    for (const sale of salesDay.sales) {
      if (sale.paymentType === 'CASH') continue;
      const booked = sale.time + sale.reportLag;
      if (booked >= start && booked < end) funds.push(saleRow(sale, 'capture', 'capture', sale.time, sale.gross, booked));
      const refund = sale.refund;
      if (refund && refund.time >= start && refund.time < end) funds.push(saleRow(sale, 'refund', 'refund', refund.time, refund.gross));
      for (let i = 0; i < sale.fees.length; i++) {
        const at = sale.time + (sale.feeLags[i] ?? 0);
        if (at >= start && at < end) fees.push(saleRow(sale, 'fee', 'capture-fee', at, sale.fees[i] ?? 0));
      }
    }
  }
  const length = end - start;
  for (const sale of before.sales) {
    if (sale.dispute > 0) funds.push(saleRow(sale, 'dispute', 'retained-disputed-capture', start + Math.floor(sale.disputeAt * length / 1000) * 1000, -sale.gross));
  }
  for (const sale of twoBefore.sales) {
    const at = start + Math.floor(((sale.disputeAt + 0.37) % 1) * length / 1000) * 1000;
    if (sale.dispute === 2) funds.push(saleRow(sale, 'dispute', 'returned-disputed-capture', at, sale.gross));
  }
  const events = new Rng(inputs.seed, ledger.ledgerId, day, 'events');
  const shortfall = addEvents(events, inputs, funds, fees, before);
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

/** Entries with no sale behind them: corrections, an unknown type, aborted payouts, top-ups. */
function addEvents(rng: Rng, inputs: DayInputs, funds: Row[], fees: Row[], before: SalesDay): Shortfall | null {
  const { ledger, day, opening, sales } = inputs;
  const { start, end } = sales[2];
  const during = (from: number, to: number) => start + Math.floor((from + rng.next() * (to - from)) * (end - start) / 1000) * 1000;
  const eventId = (n: number) => inputs.ids.pspReference({ slot: ledger.slot, day, seq: eventSeqBase + n });
  if (rng.chance(0.01)) funds.push(ledgerRow(during(0.3, 0.9), 'correction', rng.pick([-1, 1]) * rng.int(100, 5_000), eventId(1), `korr-${day}-1`));
  const lastCapture = before.sales.findLast((sale) => sale.paymentType !== 'CASH');
  if (lastCapture && rng.chance(0.015)) {
    // An entry type the gateway has never heard of, as upstream adds them without notice.
    const adjustment = -Math.max(1, Math.round(lastCapture.gross * 0.002));
    funds.push(saleRow(lastCapture, 'capture', 'interchange-adjustment', during(0.1, 0.9), adjustment));
  }
  if (lastCapture && rng.chance(0.008)) fees.push(saleRow(lastCapture, 'fee', 'correction', during(0.2, 0.8), rng.int(100, 2_000)));
  const last = opening.lastPayout;
  if (ledger.events.payoutAborts && last && last.day === day - 1 && rng.chance(0.05)) {
    funds.push(ledgerRow(during(0.3, 0.35), 'payout-aborted', last.amount, `${ledger.ledgerId}-${last.number}`, last.reference));
  }
  if (!ledger.events.negativeBalance) return null;
  if (opening.negativeSince !== null && day - opening.negativeSince >= 5 && opening.funds < 0) {
    funds.push(ledgerRow(during(0.4, 0.45), 'top-up', -opening.funds, eventId(2), `faktura-${ledger.ledgerId}-${day}`));
  }
  // A bad day every four weeks (phase from the seed), so any two months of history show one.
  if (opening.negativeSince === null && opening.funds >= 0 && (day + hash32(inputs.seed, ledger.ledgerId)) % 28 === 0) {
    const row = ledgerRow(during(0.5, 0.6), 'correction', 0, eventId(3), `korr-${day}-3`);
    funds.push(row);
    return { row, depth: rng.int(8, 15) * ledger.profile.salesPerDay * ledger.profile.openAmount.min * 2 };
  }
  return null;
}

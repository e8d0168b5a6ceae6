import { ledgerDateOf, type LedgerClock } from './calendar.ts';
import { saleRow, type Row, type ScheduledRows } from './ledger-rows.ts';
import type { Capture, Sale, SalesDay } from './sale-records.ts';

/**
 * What sales book on dates after their own: their orders' later partial captures (with fees and
 * refunds), disputes opened weeks later and their returns, fee corrections and adjustments. Each
 * sales date is registered once, in order, before any later date is built, so a date finds here
 * every row and Sales entry that earlier sales put on it without reading those sales again. What
 * a sale books on its own date and the next (its capture, fees and refund) is not kept here: the
 * Report date reads those from the two sales dates around it.
 */

/** A Sales API entry: a capture of an order, or the refund of one. */
export interface SalesItem {
  sale: Sale;
  /** Which capture of the order (0: the sale's own). */
  part: number;
  refund: boolean;
  time: number;
}

interface DayOfLaterEntries {
  funds: Row[];
  fees: Row[];
  sales: SalesItem[];
}

const noRows: ScheduledRows = Object.freeze({ funds: Object.freeze([]), fees: Object.freeze([]) });

export class LedgerSchedule {
  readonly #byDay = new Map<number, DayOfLaterEntries>();
  /** The last sales date registered; every earlier one is too. */
  through: number;

  constructor(
    private readonly clock: LedgerClock,
    firstDay: number,
  ) {
    this.through = firstDay - 1;
  }

  /** Registers what the sales of the date after `through` book on later dates. */
  register(salesDay: SalesDay): void {
    if (salesDay.day !== this.through + 1) throw new Error(`sales date ${salesDay.day} registered out of order after ${this.through}`);
    for (const sale of salesDay.sales) {
      for (const part of sale.parts) this.#registerPart(sale, part);
      for (const entry of sale.later) {
        const role = entry.topic === 'fees' ? 'fee' : entry.entryType.endsWith('-disputed-capture') ? 'dispute' : 'adjustment';
        this.#day(entry.at)[entry.topic].push(saleRow(sale, sale, role, entry.entryType, entry.at, entry.amount));
      }
    }
    this.through = salesDay.day;
  }

  /** The rows earlier sales book on `day`, shared: a page copies them before setting balances, the walk only sums them. */
  rowsOn(day: number): ScheduledRows {
    return this.#byDay.get(day) ?? noRows;
  }

  /** The Sales entries of earlier sales' orders whose time falls in `day`. */
  salesOn(day: number): readonly SalesItem[] {
    return this.#byDay.get(day)?.sales ?? [];
  }

  #registerPart(sale: Sale, part: Capture): void {
    const booked = part.time + part.reportLag;
    this.#day(booked).funds.push(saleRow(sale, part, 'capture', 'capture', part.time, part.gross, booked));
    this.#day(part.time).sales.push({ sale, part: part.part, refund: false, time: part.time });
    part.fees.forEach((fee, index) => {
      const at = part.time + (part.feeLags[index] ?? 0);
      this.#day(at).fees.push(saleRow(sale, part, 'fee', 'capture-fee', at, fee));
    });
    const refund = part.refund;
    if (refund !== null) {
      this.#day(refund.time).funds.push(saleRow(sale, part, 'refund', 'refund', refund.time, refund.gross));
      this.#day(refund.time).sales.push({ sale, part: part.part, refund: true, time: refund.time });
    }
  }

  #day(at: number): DayOfLaterEntries {
    const day = ledgerDateOf(this.clock, at);
    let entries = this.#byDay.get(day);
    if (entries === undefined) {
      entries = { funds: [], fees: [], sales: [] };
      this.#byDay.set(day, entries);
    }
    return entries;
  }
}

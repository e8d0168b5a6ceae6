import type { LedgerSpec } from './catalog.ts';
import type { Identifiers } from './identifiers.ts';
import type { Capture, Sale, SalesDay } from './sale-records.ts';

/** Rows of a date that earlier sales booked on it, apart from the date's own. */
export interface ScheduledRows {
  funds: readonly Row[];
  fees: readonly Row[];
}

/** The rows of a Report date before they become JSON, and the ledger state a date starts from. */

export interface LedgerState {
  funds: number;
  fees: number;
  payoutNumber: number;
  lastPayout: { number: number; amount: number; day: number; reference: string } | null;
  /** First date that closed with a negative balance, while it stays negative. */
  negativeSince: number | null;
}

export function initialState(ledger: LedgerSpec): LedgerState {
  return { funds: 0, fees: 0, payoutNumber: ledger.firstPayoutNumber, lastPayout: null, negativeSince: null };
}

export type Topic = 'funds' | 'fees';

/** What a row books for its sale; every role but `refund` carries the pspReference of the capture. */
export type SaleRole = 'capture' | 'refund' | 'fee' | 'dispute' | 'adjustment';

export interface Row {
  /** When the entry was booked: it exists for readers once the clock has reached it. */
  arrival: number;
  /** The entry's `time`, UTC milliseconds, and three more digits of microseconds. */
  time: number;
  micros: number;
  entryType: string;
  amount: number;
  balanceBefore: number;
  /** The sale behind the entry, whose identifiers it carries; null for ledger-level entries. */
  sale: Sale | null;
  role: SaleRole | null;
  /** Which capture of the sale's order the row books (0: the sale's own). */
  part: number;
  pspReference: string | null;
  reference: string | null;
}

export interface DayInputs {
  seed: string;
  ledger: LedgerSpec;
  day: number;
  /** Sales dates day-1 and day: captures, fees and refunds that land on the date from the sales around it. */
  sales: readonly [SalesDay, SalesDay];
  /** What earlier sales book on the date: later partial captures, disputes, fee corrections (see schedule.ts). */
  scheduled: ScheduledRows;
  opening: LedgerState;
  ids: Identifiers;
  /** Book the date's outsized entries (see `outsizedRows`): only when a test asks for them. */
  outsized: boolean;
}

export function ledgerRow(at: number, entryType: string, amount: number, pspReference: string | null, reference: string | null): Row {
  return { arrival: at, time: at, micros: 0, entryType, amount, balanceBefore: 0, sale: null, role: null, part: 0, pspReference, reference };
}

/** A row booking `capture` (the sale's own, or a later part of its order) for `sale`. */
export function saleRow(sale: Sale, capture: Capture, role: SaleRole, entryType: string, at: number, amount: number, arrival = at): Row {
  return {
    arrival, time: at + Math.floor(capture.micros / 1000), micros: capture.micros % 1000, entryType, amount,
    balanceBefore: 0, sale, role, part: capture.part, pspReference: null, reference: null,
  };
}

/** Field by field, so every row keeps the one shape the sort and the serialiser see. */
export function copyRow(row: Row): Row {
  const { arrival, time, micros, entryType, amount, balanceBefore, sale, role, part, pspReference, reference } = row;
  return { arrival, time, micros, entryType, amount, balanceBefore, sale, role, part, pspReference, reference };
}

/** Running balances in place; returns the closing balance. */
export function chainBalances(rows: Row[], opening: number): number {
  let balance = opening;
  for (const row of rows) {
    row.balanceBefore = balance;
    balance += row.amount;
  }
  return balance;
}


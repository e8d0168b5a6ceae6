import type { LedgerSpec } from './catalog.ts';
import type { Identifiers } from './identifiers.ts';
import type { Sale, SalesDay } from './sales-day.ts';

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

export type SaleRole = 'capture' | 'refund' | 'fee' | 'dispute';

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
  pspReference: string | null;
  reference: string | null;
}

export interface DayInputs {
  seed: string;
  ledger: LedgerSpec;
  day: number;
  /** Sales dates day-2, day-1 and day. */
  sales: readonly [SalesDay, SalesDay, SalesDay];
  opening: LedgerState;
  ids: Identifiers;
}

export function ledgerRow(at: number, entryType: string, amount: number, pspReference: string | null, reference: string | null): Row {
  return { arrival: at, time: at, micros: 0, entryType, amount, balanceBefore: 0, sale: null, role: null, pspReference, reference };
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


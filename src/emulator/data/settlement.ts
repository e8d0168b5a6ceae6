import { dateString, isLastDayOfMonth, weekday } from './calendar.ts';
import type { LedgerSpec } from './catalog.ts';
import { ledgerRow, type DayInputs, type LedgerState, type Row } from './ledger-rows.ts';

/**
 * The close of a ledger date: fees retained from funds (net settlement) or invoiced at month end
 * (gross), then the payout of whatever is above the reserve when the date ends a settlement
 * period. What a date leaves behind is the compact state the next date starts from.
 */

function endsSettlementPeriod(ledger: LedgerSpec, day: number): boolean {
  if (ledger.settlement === 'daily') return true;
  // Weekly payouts are calculated on Monday for the week that ended on Sunday.
  if (ledger.settlement === 'weekly') return weekday(day) === 0;
  return isLastDayOfMonth(day);
}

/** The last date of the settlement period a date belongs to: itself, its week's Sunday, its month's last date. */
export function periodEnd(ledger: LedgerSpec, day: number): number {
  let end = day;
  while (!endsSettlementPeriod(ledger, end)) end += 1;
  return end;
}

/** The bank-statement text of a payout. */
export function payoutReference(ledger: LedgerSpec, payoutNumber: number, day: number): string {
  const recipient = (ledger.salesUnits[0]?.recipientHandle ?? '').replace(/^[^:]*:/, '');
  if (ledger.country === 'NO') return `Utb. ${payoutNumber} Vippsnr ${recipient}`;
  const date = dateString(day);
  const body = `02${recipient.padStart(8, '0')}001${date.slice(8, 10)}${date.slice(5, 7)}${date.slice(2, 4)}`;
  return `${body}${luhnDigit(body)}`;
}

function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = Number(digits[i]) * (double ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** The entries that close a date (fees retained or invoiced, the payout), and the state the next date starts from. */
export interface DateClose {
  funds: Row[];
  fees: Row[];
  closing: LedgerState;
}

/**
 * Closes a date from its balances after its own entries: a page appends the closing entries to
 * its rows, the balance walk keeps only `closing`.
 */
export function closeDate(inputs: DayInputs, fundsAfterEntries: number, feesAfterEntries: number): DateClose {
  const { ledger, day, opening, ids } = inputs;
  const closeAt = inputs.sales[1].end;
  let feesBalance = feesAfterEntries;
  let fundsBalance = fundsAfterEntries;
  const funds: Row[] = [];
  const fees: Row[] = [];
  const append = (rows: Row[], row: Row, balance: number) => {
    row.balanceBefore = balance;
    rows.push(row);
    return balance + row.amount;
  };
  if (feesBalance !== 0 && ledger.feeSettlement === 'net') {
    const pspReference = ids.feesRetainedReference(ledger.ledgerId, closeAt);
    fundsBalance = append(funds, ledgerRow(closeAt, 'fees-retained', feesBalance, pspReference, ''), fundsBalance);
    feesBalance = append(fees, ledgerRow(closeAt, 'fees-retained', -feesBalance, pspReference, ''), feesBalance);
  } else if (feesBalance !== 0 && isLastDayOfMonth(day)) {
    feesBalance = append(fees, ledgerRow(closeAt, 'fees-invoiced', -feesBalance, `${ledger.ledgerId}-F${dateString(day).slice(0, 7).replace('-', '')}`, ''), feesBalance);
  }
  let { payoutNumber, lastPayout } = opening;
  const payable = fundsBalance - ledger.reserve;
  if (endsSettlementPeriod(ledger, day) && payable > 0) {
    payoutNumber += 1;
    const reference = payoutReference(ledger, payoutNumber, day);
    fundsBalance = append(funds, ledgerRow(closeAt, 'payout-scheduled', -payable, `${ledger.ledgerId}-${payoutNumber}`, reference), fundsBalance);
    lastPayout = { number: payoutNumber, amount: payable, day, reference };
  }
  const negativeSince = fundsBalance < 0 ? (opening.negativeSince ?? day) : null;
  return { funds, fees, closing: { funds: fundsBalance, fees: feesBalance, payoutNumber, lastPayout, negativeSince } };
}

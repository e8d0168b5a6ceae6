import { addDays } from '../kernel/calendar.ts';
import type { Topic } from '../sources/report/models.ts';
import { movementTotals, type MovementTotals } from './movements.ts';
import { payoutsOn, type Payout } from './payouts.ts';
import type { AccountDay, LedgerReader } from './reader.ts';
import { salesTotals, type SalesTotals } from './sales-totals.ts';

/**
 * The books of consecutive ledger dates (one date, or a range): balances, movement totals and
 * payouts from the Report API; sales totals from the Sales API. The two halves are read apart,
 * so a question about money alone never pays for the sales.
 */

/** How far back a balance is looked for when the dates asked about have no entries at all. */
export const balanceLookbackDays = 31;

export interface AccountBalances {
  /** Null when neither the dates nor the lookback window before them have any entry. */
  opening: number | null;
  closing: number | null;
  entryCount: number;
}

export interface PeriodAccounts {
  dates: string[];
  /** Both accounts of every date are closed: the figures are final. */
  isClosed: boolean;
  funds: AccountBalances;
  fees: AccountBalances;
  /**
   * Summed when asked for, not before: a sum beyond ±(2^53 − 1) is an error of this figure alone,
   * and must not take the balances (read from the entries, never summed) down with it.
   */
  movements(): MovementTotals;
  payouts: Payout[];
}

function readAccount(reader: LedgerReader, topic: Topic, date: string): Promise<AccountDay> {
  return topic === 'funds' ? reader.funds(date) : reader.fees(date);
}

/**
 * Dates without entries leave a balance alone, so it is the first entry's `balanceBefore` and
 * the last entry's `balanceAfter`; with no entry on the dates, the last entry before them.
 */
async function balances(reader: LedgerReader, topic: Topic, days: readonly AccountDay[]): Promise<AccountBalances> {
  const withEntries = days.filter((day) => day.entries.length > 0);
  const first = withEntries[0]?.entries[0];
  const lastDay = withEntries[withEntries.length - 1]?.entries;
  const last = lastDay?.[lastDay.length - 1];
  if (first !== undefined && last !== undefined) {
    const entryCount = withEntries.reduce((count, day) => count + day.entries.length, 0);
    return { opening: first.balanceBefore, closing: last.balanceAfter, entryCount };
  }
  const start = days[0]?.date;
  if (start === undefined) return { opening: null, closing: null, entryCount: 0 };
  for (let back = 1; back <= balanceLookbackDays; back++) {
    const earlier = (await readAccount(reader, topic, addDays(start, -back))).entries;
    const previous = earlier[earlier.length - 1];
    if (previous !== undefined) return { opening: previous.balanceAfter, closing: previous.balanceAfter, entryCount: 0 };
  }
  return { opening: null, closing: null, entryCount: 0 };
}

export async function readPeriodAccounts(reader: LedgerReader, dates: readonly string[]): Promise<PeriodAccounts> {
  const [funds, fees] = await Promise.all([
    Promise.all(dates.map((date) => reader.funds(date))),
    Promise.all(dates.map((date) => reader.fees(date))),
  ]);
  const [fundsBalances, feesBalances] = await Promise.all([balances(reader, 'funds', funds), balances(reader, 'fees', fees)]);
  let movements: MovementTotals | undefined;
  return {
    dates: [...dates],
    isClosed: [...funds, ...fees].every((day) => day.isClosed),
    funds: fundsBalances,
    fees: feesBalances,
    movements: () =>
      (movements ??= movementTotals([
        { topic: 'funds', days: funds },
        { topic: 'fees', days: fees },
      ])),
    payouts: funds.flatMap((day) => payoutsOn(reader.ledgerId, day)),
  };
}

export async function readPeriodSales(reader: LedgerReader, dates: readonly string[]): Promise<SalesTotals> {
  const days = await Promise.all(dates.map((date) => reader.sales(date)));
  return salesTotals(days.flatMap((day) => day.entries));
}

import { addExact } from '../kernel/exact.ts';
import type { Ledger, Organization, ReportEntry } from '../sources/report/models.ts';
import { movementTotals, type MovementTotals } from './movements.ts';
import type { AccountDay } from './reader.ts';

/**
 * The books of several ledgers (or of the sales units inside one) summed into groups: per
 * currency, per owner organisation, per sales unit. Every group is of one currency: amounts in
 * different currencies are never added, so two shops of one owner in Norway and Denmark are
 * two groups.
 */

/** What one ledger booked on both accounts over some dates. */
export interface LedgerAccounts {
  ledger: Ledger;
  funds: readonly AccountDay[];
  fees: readonly AccountDay[];
}

export interface BooksGroup {
  currency: string;
  /** The owner, in groups by owner (null where upstream does not say). */
  owner: Organization | null;
  /** The sales unit, in groups by sales unit; null for entries of no sales unit (payouts, service fees). */
  recipientHandle: string | null;
  salesUnitName: string | null;
  ledgerIds: string[];
  isClosed: boolean;
  movements: MovementTotals;
  /** Σ of every funds entry: how much more Vipps MobilePay owes at the end than at the start. */
  fundsChange: number;
}

interface Key {
  id: string;
  owner: Organization | null;
  recipientHandle: string | null;
}

type KeyOf = (ledger: Ledger, entry: ReportEntry | null) => Key;

const noOwner = '';

export const byCurrency: KeyOf = () => ({ id: '', owner: null, recipientHandle: null });
export const byOwner: KeyOf = (ledger) => ({
  id: ledger.owner == null ? noOwner : `${ledger.owner.scheme}:${ledger.owner.id}`,
  owner: ledger.owner ?? null,
  recipientHandle: null,
});
export const bySalesUnit: KeyOf = (_ledger, entry) => ({ id: entry?.recipientHandle ?? '', owner: null, recipientHandle: entry?.recipientHandle ?? null });

/** One ledger date's entries of one account that fall in a group. */
interface DayPart {
  date: string;
  isClosed: boolean;
  entries: ReportEntry[];
}

interface Building {
  group: Omit<BooksGroup, 'movements' | 'fundsChange'>;
  funds: Map<string, DayPart>;
  fees: Map<string, DayPart>;
}

/** Each date's entries of one account, split by group. A group is closed when every date of each of its ledgers is. */
function collect(building: Map<string, Building>, books: LedgerAccounts, keyOf: KeyOf, account: 'funds' | 'fees'): void {
  const { ledger } = books;
  const isClosed = [...books.funds, ...books.fees].every((day) => day.isClosed);
  const place = (key: Key): Building => {
    const id = `${ledger.currency}|${key.id}`;
    let found = building.get(id);
    if (found === undefined) {
      const unit = key.recipientHandle === null ? undefined : ledger.salesUnits.find((candidate) => candidate.recipientHandle === key.recipientHandle);
      found = {
        group: { currency: ledger.currency, owner: key.owner, recipientHandle: key.recipientHandle, salesUnitName: unit?.name ?? null, ledgerIds: [], isClosed: true },
        funds: new Map(),
        fees: new Map(),
      };
      building.set(id, found);
    }
    if (!found.group.ledgerIds.includes(ledger.ledgerId)) found.group.ledgerIds.push(ledger.ledgerId);
    if (!isClosed) found.group.isClosed = false;
    return found;
  };
  // A ledger belongs to its group even on dates without entries.
  if (keyOf !== bySalesUnit) place(keyOf(ledger, null));
  for (const day of books[account]) {
    for (const entry of day.entries) {
      const target = place(keyOf(ledger, entry));
      const dayKey = `${ledger.ledgerId}|${day.date}`;
      let split = target[account].get(dayKey);
      if (split === undefined) {
        split = { date: day.date, isClosed: day.isClosed, entries: [] };
        target[account].set(dayKey, split);
      }
      split.entries.push(entry);
    }
  }
}

/** The groups of `ledgers` by `keyOf`, by currency first. */
export function groupBooks(ledgers: readonly LedgerAccounts[], keyOf: KeyOf): BooksGroup[] {
  const building = new Map<string, Building>();
  for (const books of ledgers) {
    collect(building, books, keyOf, 'funds');
    collect(building, books, keyOf, 'fees');
  }
  return [...building.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, { group, funds, fees }]) => {
      let fundsChange = 0;
      for (const day of funds.values()) for (const entry of day.entries) fundsChange = addExact(fundsChange, entry.amount);
      const movements = movementTotals([
        { topic: 'funds', days: funds.values() },
        { topic: 'fees', days: fees.values() },
      ]);
      return { ...group, movements, fundsChange };
    });
}

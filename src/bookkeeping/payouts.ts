import { addDays } from '../kernel/calendar.ts';
import type { ReportEntry } from '../sources/report/models.ts';
import { movementKindOf } from '../kernel/movement-kinds.ts';
import type { AccountDay, LedgerReader } from './reader.ts';

/**
 * Payouts as the Report API documentation prescribes rebuilding them: a `payout-scheduled`
 * entry ends a ledger date that pays out, its amount is the balance it empties (down to any
 * reserve), and the payout covers the consecutive ledger dates since the previous
 * `payout-scheduled`. There is no payout endpoint, so finding the previous payout means reading
 * dates backwards; every walk here has a fixed window, never an open-ended scan.
 */

/** How far back the previous payout is looked for: two monthly periods, or weeks of a negative balance. */
export const payoutPeriodWindowDays = 62;
/** How far back from `near` a payout number is looked for. */
export const payoutSearchWindowDays = 31;

export interface Payout {
  ledgerId: string;
  /** `<ledgerId>-<payoutNumber>`, the entry's pspReference (the old SettlementID). */
  payoutId: string;
  /** Counts up one by one per ledger; matches the settlement number on the bank statement. */
  payoutNumber: string;
  /** The ledger date the payout was scheduled on (its last covered date). */
  date: string;
  /** What leaves for the bank: the negated amount of the entry. */
  amount: number;
  /** Bank-transfer text, as upstream sends it; null when it has none. */
  bankText: string | null;
  /** The funds balance the payout leaves behind: 0, or a rolling reserve. */
  balanceAfter: number;
  entry: ReportEntry;
}

export function isPayoutEntry(entry: ReportEntry): boolean {
  return movementKindOf(entry.entryType) === 'PAYOUT_SCHEDULED';
}

/** `12345-2000023` on ledger `12345` → `2000023`; a pspReference of another shape is its own number. */
export function payoutNumberOf(ledgerId: string, pspReference: string): string {
  if (pspReference.startsWith(`${ledgerId}-`)) return pspReference.slice(ledgerId.length + 1);
  const dash = pspReference.lastIndexOf('-');
  return dash < 0 ? pspReference : pspReference.slice(dash + 1);
}

/** The payouts scheduled on one funds date (at most one upstream, as its last entry). */
export function payoutsOn(ledgerId: string, day: AccountDay): Payout[] {
  return day.entries.filter(isPayoutEntry).map((entry) => {
    const payoutId = entry.pspReference ?? '';
    return {
      ledgerId,
      payoutId,
      payoutNumber: payoutNumberOf(ledgerId, payoutId),
      date: day.date,
      amount: -entry.amount,
      bankText: entry.reference || null,
      balanceAfter: entry.balanceAfter,
      entry,
    };
  });
}

/** Payout numbers are digit strings that count up: compare them as whole numbers, without parsing. */
export function comparePayoutNumbers(a: string, b: string): number {
  const digitsA = a.replace(/^0+/, '');
  const digitsB = b.replace(/^0+/, '');
  return digitsA.length - digitsB.length || (digitsA < digitsB ? -1 : digitsA > digitsB ? 1 : 0);
}

export interface PayoutCoverage {
  /** The covered ledger dates, oldest first; the payout's own date is the last. */
  dates: string[];
  /** False when no earlier payout was found within the window: the payout may cover earlier dates too. */
  complete: boolean;
  /** The funds entries of the covered dates, in upstream order, the payout entry last. */
  days: AccountDay[];
  /** The funds balance when the first covered date opened: what the previous payout left. */
  openingBalance: number;
}

/** The dates a payout covers: back from its date to the date after the previous payout. */
export async function payoutCoverage(reader: LedgerReader, payout: Payout, windowDays = payoutPeriodWindowDays): Promise<PayoutCoverage> {
  const own = await reader.funds(payout.date);
  const days: AccountDay[] = [own];
  let complete = false;
  for (let back = 1; back < windowDays; back++) {
    const day = await reader.funds(addDays(payout.date, -back));
    if (day.entries.some(isPayoutEntry)) {
      complete = true;
      break;
    }
    days.unshift(day);
  }
  // Dates without entries leave the balance alone, so the first entry of the period opens it.
  const first = days.find((day) => day.entries.length > 0)?.entries[0] ?? payout.entry;
  return { dates: days.map((day) => day.date), complete, days, openingBalance: first.balanceBefore };
}

/** The payouts scheduled on the dates given, oldest first. */
export async function payoutsBetween(reader: LedgerReader, dates: readonly string[]): Promise<Payout[]> {
  const days = await Promise.all(dates.map((date) => reader.funds(date)));
  return days.flatMap((day) => payoutsOn(reader.ledgerId, day));
}

/**
 * The payout with this number, looked for from `near` back over the search window. Numbers
 * count up, so the walk stops early once it passes below the number asked for.
 */
export async function findPayout(
  reader: LedgerReader,
  payoutNumber: string,
  near: string,
  windowDays = payoutSearchWindowDays,
): Promise<Payout | null> {
  for (let back = 0; back < windowDays; back++) {
    const payouts = payoutsOn(reader.ledgerId, await reader.funds(addDays(near, -back)));
    const match = payouts.find((payout) => comparePayoutNumbers(payout.payoutNumber, payoutNumber) === 0);
    if (match !== undefined) return match;
    if (payouts.some((payout) => comparePayoutNumbers(payout.payoutNumber, payoutNumber) < 0)) return null;
  }
  return null;
}

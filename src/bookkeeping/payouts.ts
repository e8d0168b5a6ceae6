import { addDays, daysBetween } from '../kernel/calendar.ts';
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
/** How many distinct dates a search for a payout by its number may read. */
export const payoutSearchReads = 93;
/** How many dates after a payout its abort is looked for: upstream aborts a payout the date after. */
export const payoutAbortWindowDays = 3;

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
  /** Earlier payouts that were aborted and whose money this one pays again, oldest first. */
  repays: Payout[];
}

export function isAbortOf(entry: ReportEntry, payout: Payout): boolean {
  return movementKindOf(entry.entryType) === 'PAYOUT_ABORTED' && entry.pspReference === payout.payoutId;
}

/**
 * The dates a payout covers: back from its date to the date after the previous payout. A payout
 * that was aborted, with the money back on the ledger by this payout, does not end the walk: this
 * one pays its money again, so it covers its dates (and its sales) too.
 */
export async function payoutCoverage(reader: LedgerReader, payout: Payout, windowDays = payoutPeriodWindowDays): Promise<PayoutCoverage> {
  const own = await reader.funds(payout.date);
  const days: AccountDay[] = [own];
  const repays: Payout[] = [];
  let complete = false;
  for (let back = 1; back < windowDays; back++) {
    const day = await reader.funds(addDays(payout.date, -back));
    const earlier = payoutsOn(reader.ledgerId, day);
    const aborted = earlier.filter((candidate) => days.some((later) => later.entries.some((entry) => isAbortOf(entry, candidate))));
    if (earlier.length > aborted.length) {
      complete = true;
      break;
    }
    repays.unshift(...aborted);
    days.unshift(day);
  }
  // Dates without entries leave the balance alone, so the first entry of the period opens it.
  const first = days.find((day) => day.entries.length > 0)?.entries[0] ?? payout.entry;
  return { dates: days.map((day) => day.date), complete, days, openingBalance: first.balanceBefore, repays };
}

/** The first payout scheduled from `from` on, at most `windowDays` dates on and never after `newest`. */
export async function nextPayoutFrom(reader: LedgerReader, from: string, newest: string, windowDays = payoutPeriodWindowDays): Promise<Payout | null> {
  for (let ahead = 0; ahead < windowDays; ahead++) {
    const date = addDays(from, ahead);
    if (date > newest) return null;
    const [payout] = payoutsOn(reader.ledgerId, await reader.funds(date));
    if (payout !== undefined) return payout;
  }
  return null;
}

/** The payouts scheduled on the dates given, oldest first. */
export async function payoutsBetween(reader: LedgerReader, dates: readonly string[]): Promise<Payout[]> {
  const days = await Promise.all(dates.map((date) => reader.funds(date)));
  return days.flatMap((day) => payoutsOn(reader.ledgerId, day));
}

/** The latest payout scheduled on or before `date`, at most `windowDays` dates back. */
async function latestPayoutUpTo(reader: LedgerReader, date: string, windowDays: number): Promise<Payout | null> {
  for (let back = 0; back < windowDays; back++) {
    const payouts = payoutsOn(reader.ledgerId, await reader.funds(addDays(date, -back)));
    const last = payouts.at(-1);
    if (last !== undefined) return last;
  }
  return null;
}

/** How many payouts lie from `b` up to `a` (positive when `a` is the later one). */
function payoutsBetweenNumbers(a: string, b: string): number {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return Number.NaN;
  return Number(BigInt(a) - BigInt(b));
}

/** A reader that reads at most `limit` distinct dates, and then answers that it is spent. */
function budgeted(reader: LedgerReader, limit: number): LedgerReader & { spent(): boolean } {
  const read = new Set<string>();
  const charge = (date: string) => {
    read.add(date);
    if (read.size > limit) throw new PayoutSearchSpent();
  };
  return {
    ledgerId: reader.ledgerId,
    funds: async (date) => (charge(date), reader.funds(date)),
    fees: async (date) => (charge(date), reader.fees(date)),
    sales: async (date) => (charge(date), reader.sales(date)),
    spent: () => read.size > limit,
  };
}

class PayoutSearchSpent extends Error {}

/**
 * The payout with this number, searched for back from `near` without a fixed window. There is no
 * payout lookup upstream, but payout numbers count up by one per payout: the distance in numbers
 * to a payout found, and the dates between it and the one before it (the ledger's rhythm: daily,
 * weekly, monthly), say how far back the next probe goes. Each probe reads back to the nearest
 * payout; a payout a year back costs a few probes rather than a year of dates. The search stops
 * after `maxReads` distinct dates, or when it meets the number's neighbours and not the number.
 */
export async function findPayout(reader: LedgerReader, payoutNumber: string, near: string, maxReads = payoutSearchReads): Promise<Payout | null> {
  const limited = budgeted(reader, maxReads);
  try {
    return await probeFor(limited, payoutNumber, near);
  } catch (error) {
    if (error instanceof PayoutSearchSpent) return null;
    throw error;
  }
}

async function probeFor(reader: LedgerReader, payoutNumber: string, near: string): Promise<Payout | null> {
  let newer: Payout | null = null;
  let probe = near;
  for (;;) {
    const found = await latestPayoutUpTo(reader, probe, payoutPeriodWindowDays);
    if (found === null) return null;
    const distance = payoutsBetweenNumbers(found.payoutNumber, payoutNumber);
    if (distance === 0) return found;
    if (!Number.isFinite(distance)) return null;
    // Past it: the number lies between this payout and the newer one found before, if anywhere.
    if (distance < 0) return newer === null ? null : scanForward(reader, payoutNumber, addDays(found.date, 1), newer.date);
    newer = found;
    const previous = await latestPayoutUpTo(reader, addDays(found.date, -1), payoutPeriodWindowDays);
    if (previous === null) return null;
    const step = payoutsBetweenNumbers(found.payoutNumber, previous.payoutNumber);
    const left = payoutsBetweenNumbers(previous.payoutNumber, payoutNumber);
    if (left === 0) return previous;
    if (left < 0 || step <= 0) return null;
    newer = previous;
    // As many periods back as payouts are left, at the rhythm of the last two.
    const daysPerPayout = daysBetween(previous.date, found.date) / step;
    probe = addDays(previous.date, -Math.max(1, Math.round(left * daysPerPayout)));
  }
}

async function scanForward(reader: LedgerReader, payoutNumber: string, from: string, before: string): Promise<Payout | null> {
  for (let date = from; date < before; date = addDays(date, 1)) {
    const match = payoutsOn(reader.ledgerId, await reader.funds(date)).find((payout) => comparePayoutNumbers(payout.payoutNumber, payoutNumber) === 0);
    if (match !== undefined) return match;
  }
  return null;
}

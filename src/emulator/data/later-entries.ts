import { ledgerDateStart } from './calendar.ts';
import type { LedgerSpec } from './catalog.ts';
import type { Rng } from './random.ts';
import type { LaterEntry, Sale } from './sale-records.ts';

/** What a sale books long after its own date, and the days whose reconciliation really mismatches. */

/** Most sales have no later entries: they share this (never written to). */
export const noLaterEntries: readonly LaterEntry[] = Object.freeze([]);

/** A whole second somewhere in a ledger date. */
function momentOf(rng: Rng, ledger: LedgerSpec, day: number): number {
  const start = ledgerDateStart(ledger, day);
  return start + Math.floor((rng.next() * (ledgerDateStart(ledger, day + 1) - start)) / 1000) * 1000;
}

/**
 * What happens to a sale long after it, drawn with the sale: a dispute opened days or weeks
 * later (won, with the money returned weeks after that, or lost), a fee corrected weeks later,
 * and an adjustment of a type the gateway has never heard of.
 */
export function laterEntries(rng: Rng, ledger: LedgerSpec, sale: Sale): readonly LaterEntry[] {
  // Most sales have none: nothing is allocated until one is drawn.
  let later: LaterEntry[] | null = null;
  if (rng.chance(ledger.kind === 'epayment' ? 0.006 : 0.003)) {
    const opened = sale.day + (rng.chance(0.35) ? rng.int(1, 2) : rng.int(7, 45));
    later = [{ topic: 'funds', entryType: 'retained-disputed-capture', at: momentOf(rng, ledger, opened), amount: -sale.gross }];
    if (rng.chance(0.4)) later.push({ topic: 'funds', entryType: 'returned-disputed-capture', at: momentOf(rng, ledger, opened + rng.int(5, 25)), amount: sale.gross });
  }
  const fee = sale.fees[0];
  if (fee !== undefined && rng.chance(0.004)) {
    const amount = rng.chance(0.7) ? Math.ceil(-fee / 2) : -rng.int(100, 500);
    (later ??= []).push({ topic: 'fees', entryType: 'correction', at: momentOf(rng, ledger, sale.day + rng.int(7, 40)), amount });
  }
  if (rng.chance(0.002)) {
    // An entry type the gateway has never heard of, as upstream adds them without notice.
    const amount = -Math.max(1, Math.round(sale.gross * 0.002));
    (later ??= []).push({ topic: 'funds', entryType: 'interchange-adjustment', at: momentOf(rng, ledger, sale.day + rng.int(1, 30)), amount });
  }
  return later === null ? noLaterEntries : later.sort((a, b) => a.at - b.at);
}

/**
 * A day whose reconciliation really mismatches: one capture the Sales API lost, and one the
 * Report API booked with another amount. Only sales with nothing else happening to them.
 */
export function addGlitches(rng: Rng, sales: Sale[]): void {
  if (!rng.chance(0.08)) return;
  const plain = sales.filter((sale) => sale.paymentType !== 'CASH' && sale.refund === null && sale.parts.length === 0 && sale.later.length === 0);
  if (plain.length < 2) return;
  const lost = plain[rng.int(0, plain.length - 1)];
  const other = plain.filter((sale) => sale !== lost);
  const misbooked = other[rng.int(0, other.length - 1)];
  if (lost) lost.salesMissing = true;
  if (misbooked) misbooked.bookedDelta = rng.pick([-1, 1]) * rng.int(100, 2_500);
}

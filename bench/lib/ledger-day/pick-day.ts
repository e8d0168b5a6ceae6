import type { LedgerTraits, Partner } from '../emulator-process.ts';
import type { DirectClient } from './direct-client.ts';

/**
 * The day to measure: the newest closed date (before yesterday, so that D+1 is closed too) of a
 * VM-number ledger of the partner with about two hundred sales, some with order lines.
 */

export const salesWanted = { min: 150, max: 250 };
const newestDaysBack = 2;
const oldestDaysBack = 30;

export interface PickedDay {
  ledgerId: string;
  currency: string;
  date: string;
}

function daysBefore(now: string, days: number): string {
  return new Date(Date.parse(now.slice(0, 10)) - days * 86_400_000).toISOString().slice(0, 10);
}

export async function pickDay(client: DirectClient, partner: Partner, ledgers: readonly LedgerTraits[], now: string): Promise<PickedDay> {
  const candidates = ledgers.filter((ledger) => ledger.kind === 'vm' && !ledger.busiest && ledger.grantedTo.includes(partner.clientId));
  for (const ledger of candidates) {
    for (let back = newestDaysBack; back <= oldestDaysBack; back++) {
      const date = daysBefore(now, back);
      const sales = await client.sales(ledger.ledgerId, date);
      const withLines = sales.some((sale) => (sale.lines ?? []).length > 0);
      if (withLines && sales.length >= salesWanted.min && sales.length <= salesWanted.max) {
        return { ledgerId: ledger.ledgerId, currency: ledger.currency, date };
      }
    }
  }
  throw new Error(`no ledger date with ${salesWanted.min}-${salesWanted.max} sales in the emulator's data`);
}

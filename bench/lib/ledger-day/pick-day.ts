import { startEmulatorProcess, type EmulatorProcess, type LedgerTraits, type Partner } from '../emulator-process.ts';
import { DirectClient } from './direct-client.ts';
import type { LedgerDayData } from './query.ts';

/**
 * The day to measure: the newest closed date (before yesterday, so that D+1 is closed too) of a
 * VM-number ledger of the partner with about two hundred sales, some with order lines.
 */

/** The emulator of the ledger-day scenarios: the same seed and clock give the same day, byte for byte, on every machine. */
export const ledgerDayEmulator = { seed: 'demo', now: '2026-06-10T12:00:00Z' } as const;

export const salesWanted = { min: 150, max: 250 };
const newestDaysBack = 2;
const oldestDaysBack = 30;

export interface PickedDay {
  ledgerId: string;
  currency: string;
  date: string;
}

/** The day as the scenarios' notes name it: its sales, order lines and joined entries, and the emulator's seed and clock. */
export function describeDay(day: PickedDay, data: LedgerDayData): string {
  const sales = data.ledger.sales.edges.map((edge) => edge.node);
  const sum = (pick: (sale: (typeof sales)[number]) => number) => sales.reduce((total, sale) => total + pick(sale), 0);
  return (
    `day: ledger ${day.ledgerId} (${day.currency}), ${day.date}: ${sales.length} sales, ` +
    `${sum((sale) => (sale.orderLines.length > 0 ? 1 : 0))} with order lines (${sum((sale) => sale.orderLines.length)} lines), ` +
    `${sum((sale) => sale.captures.length)} funds and ${sum((sale) => sale.fees.length)} fees entries joined; ` +
    `emulator seed "${ledgerDayEmulator.seed}", clock ${ledgerDayEmulator.now}`
  );
}

function daysBefore(now: string, days: number): string {
  return new Date(Date.parse(now.slice(0, 10)) - days * 86_400_000).toISOString().slice(0, 10);
}

async function pickDay(client: DirectClient, partner: Partner, ledgers: readonly LedgerTraits[], now: string): Promise<PickedDay> {
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

/** The picked day with its answer as the direct client joins it: what every measured answer must equal. */
export async function referenceDay(emulator: EmulatorProcess, partner: Partner, now: string): Promise<{ day: PickedDay; expected: LedgerDayData }> {
  const reference = new DirectClient(emulator.url, partner);
  try {
    const day = await pickDay(reference, partner, await emulator.admin.ledgers(), now);
    return { day, expected: await reference.ledgerDay(day.ledgerId, day.date) };
  } finally {
    await reference.close();
  }
}

/**
 * The emulator of the ledger-day scenarios in its own process, its demo partner, the picked day
 * and its reference answer. The caller stops the emulator.
 */
export async function startLedgerDayEmulator(cpu: number | null): Promise<{ emulator: EmulatorProcess; partner: Partner; day: PickedDay; expected: LedgerDayData }> {
  const emulator = await startEmulatorProcess({ ...ledgerDayEmulator, cpu });
  try {
    const [partner] = await emulator.admin.partners();
    if (partner === undefined) throw new Error('the emulator has no demo partner');
    return { emulator, partner, ...(await referenceDay(emulator, partner, ledgerDayEmulator.now)) };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}

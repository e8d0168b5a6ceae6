import { addDays } from '../../src/kernel/calendar.ts';
import type { EmulatorAdmin } from '../../src/emulator/admin-client.ts';
import type { Upstream } from '../../src/sources/index.ts';
import type { ReportDay } from '../../src/sources/report/client.ts';
import type { SalesEntry } from '../../src/sources/sales/models.ts';
import { today } from '../support/clock.ts';
import type { TestEmulator } from '../support/emulator.ts';
import { test as harness } from '../support/harness.ts';
import { callsTo, routes } from '../support/routes.ts';

/** What the graph suites share: a closed ledger day with its sales and the Report dates around it. */

/** A closed ledger date with its sales and the Report dates around it, read apart from any gateway. */
export interface DayData {
  ledgerId: string;
  date: string;
  sales: SalesEntry[];
  funds: ReportDay;
  fundsNext: ReportDay;
  fees: ReportDay;
  feesNext: ReportDay;
}

export async function readDay(direct: Upstream, ledgerId: string, date: string): Promise<DayData> {
  const next = addDays(date, 1);
  const [sales, funds, fundsNext, fees, feesNext] = await Promise.all([
    direct.sales.forDate(ledgerId, date),
    direct.report.forDate(ledgerId, 'funds', date),
    direct.report.forDate(ledgerId, 'funds', next),
    direct.report.forDate(ledgerId, 'fees', date),
    direct.report.forDate(ledgerId, 'fees', next),
  ]);
  return { ledgerId, date, sales, funds, fundsNext, fees, feesNext };
}

/** Sales with a pspReference whose funds entry is not on the sale's own date. */
export function lateCaptures(day: DayData): SalesEntry[] {
  const onDate = new Set(day.funds.entries.map((entry) => entry.pspReference));
  return day.sales.filter((sale) => sale.pspReference !== null && !onDate.has(sale.pspReference));
}

/**
 * The first closed date (newest first, before the clock's date) of a granted VM-number ledger
 * with several hundred sales, order lines, and a capture that landed on the next ledger date.
 */
async function findJoinDay(emulator: TestEmulator, direct: Upstream): Promise<DayData> {
  const candidates = (await emulator.grantedLedgers()).filter((ledger) => ledger.kind === 'vm');
  // Late captures come with a cut-off after midnight; those ledgers are the likeliest.
  candidates.sort((a, b) => b.cutoffHour - a.cutoffHour);
  for (const ledger of candidates) {
    for (let back = 2; back <= 20; back++) {
      const date = addDays(today, -back);
      const sales = await direct.sales.forDate(ledger.ledgerId, date);
      if (sales.length < 200 || sales.length >= 1000 || !sales.some((sale) => (sale.lines ?? []).length > 0)) continue;
      const day = await readDay(direct, ledger.ledgerId, date);
      if (lateCaptures(day).length > 0) return day;
    }
  }
  throw new Error('the emulator should have a day of several hundred sales with a capture on the next ledger date');
}

/** Pages a whole upstream list of `count` items costs at `pageSize` a page (an empty list costs one). */
export function pages(count: number, pageSize: number): number {
  return Math.max(1, Math.ceil(count / pageSize));
}

/** How many pages the granted-ledger list costs (the grant check of `Query.ledger`). */
export async function ledgerListPages(admin: EmulatorAdmin, direct: Upstream): Promise<number> {
  await admin.resetStats();
  await direct.report.ledgers();
  const count = callsTo(await admin.stats(), routes.ledgers);
  await admin.resetStats();
  return count;
}

/** The harness, with the join day found once per file. */
export const test = harness.extend('joinDay', { scope: 'file' }, ({ emulator, direct }) => findJoinDay(emulator, direct));
export const it = test;

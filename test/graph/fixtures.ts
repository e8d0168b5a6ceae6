import { afterAll, beforeAll } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import type { ReportDay } from '../../src/sources/report/client.ts';
import type { SalesEntry } from '../../src/sources/sales/models.ts';
import { ledgerTraitsModel, type LedgerTraits } from '../emulator/models.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/** The emulator's clock in the graph suites: shopping baskets exist, and 2026-05-20 is open. */
export const testNow = '2026-05-20T12:00:00Z';

/** What the emulator says about its ledgers (kind, time zone, cut-off, grants). */
export async function ledgerTraits(t: TestGateway): Promise<LedgerTraits[]> {
  return ledgerTraitsModel.parse(await t.admin('GET', 'ledgers')).ledgers;
}

/** The number of upstream calls of one route template since the last reset. */
export function calls(stats: { routes: Record<string, number> }, route: string): number {
  return stats.routes[route] ?? 0;
}

export const routes = {
  token: 'POST /miami/v1/token',
  ledgers: 'GET /settlement/v1/ledgers',
  reportDate: 'GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}',
  salesDate: 'GET /sales/report/v1/ledgers/{ledgerId}/dates/{ledgerDate}',
  salesByPsp: 'GET /sales/report/v1/ledgers/{ledgerId}/psp-references/{pspReference}',
  salesByReference: 'GET /sales/report/v1/ledgers/{ledgerId}/references/{reference}',
} as const;

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

export async function readDay(t: TestGateway, ledgerId: string, date: string): Promise<DayData> {
  const next = addDays(date, 1);
  const [sales, funds, fundsNext, fees, feesNext] = await Promise.all([
    t.direct.sales.forDate(ledgerId, date),
    t.direct.report.forDate(ledgerId, 'funds', date),
    t.direct.report.forDate(ledgerId, 'funds', next),
    t.direct.report.forDate(ledgerId, 'fees', date),
    t.direct.report.forDate(ledgerId, 'fees', next),
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
export async function findJoinDay(t: TestGateway): Promise<DayData> {
  const traits = await ledgerTraits(t);
  const candidates = traits.filter((ledger) => ledger.kind === 'vm' && t.partner.ledgerIds.includes(ledger.ledgerId));
  // Late captures come with a cut-off after midnight; those ledgers are the likeliest.
  candidates.sort((a, b) => b.cutoffHour - a.cutoffHour);
  for (const ledger of candidates) {
    for (let back = 2; back <= 20; back++) {
      const date = addDays(testNow.slice(0, 10), -back);
      const sales = await t.direct.sales.forDate(ledger.ledgerId, date);
      if (sales.length < 200 || sales.length >= 1000 || !sales.some((sale) => (sale.lines ?? []).length > 0)) continue;
      const day = await readDay(t, ledger.ledgerId, date);
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
export async function ledgerListPages(t: TestGateway): Promise<number> {
  await t.resetStats();
  await t.direct.report.ledgers();
  const count = calls(await t.stats(), routes.ledgers);
  await t.resetStats();
  return count;
}

/** A gateway over an emulator at `testNow`, and the join day found in it, for the enclosing suite. */
export function useJoinDay(): { readonly t: TestGateway; readonly day: DayData } {
  let gateway: TestGateway | undefined;
  let found: DayData | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway({ now: testNow });
    found = await findJoinDay(gateway);
  });
  afterAll(() => gateway?.close());
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the gateway starts in beforeAll: use it inside a test or hook');
    return value;
  };
  return {
    get t() {
      return ready(gateway);
    },
    get day() {
      return ready(found);
    },
  };
}

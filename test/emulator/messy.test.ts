import { describe, expect } from 'vitest';
import { addDays, daysBetween } from '../../src/kernel/calendar.ts';
import { startTestEmulator } from '../support/emulator.ts';
import { it } from '../support/harness.ts';
import {
  datesBetween,
  readableLedgers,
  walkReportDate,
  walkReportFeed,
  walkSalesFeed,
  type LedgerTraits,
  type PartnerClient,
  type ReportEntry,
  type SalesEntry,
} from './support.ts';

/**
 * The emulator is as messy as the documentation says production is: every kind of mess is found
 * in the raw answers, read here as a partner reads them. The clock stands at the end of a month,
 * so the monthly ledger has a month of open dates behind it.
 */

const now = '2026-05-31T12:00:00Z';
const today = now.slice(0, 10);
const floors = { MPOS: '2026-03-09T12:45:00Z', VARIABLE_AMOUNT: '2026-03-16T09:28:00Z', SHOPPING_BASKET: '2026-04-22T11:04:00Z' };

it.override('emulatorOptions', { now });

interface History {
  ledger: LedgerTraits;
  client: PartnerClient;
  funds: ReportEntry[];
  fees: ReportEntry[];
  sales: SalesEntry[];
}

/** The ledger date of a pspReference's first capture entry. */
function captureDates(funds: readonly ReportEntry[]): Map<string, string> {
  const dates = new Map<string, string>();
  for (const entry of funds) if (entry.entryType === 'capture' && !dates.has(entry.pspReference)) dates.set(entry.pspReference, entry.ledgerDate);
  return dates;
}

/** Entries on `topic` with a sale's pspReference booked at least `days` dates after its capture. */
function lateEntries(history: History, entries: readonly ReportEntry[], entryType: string, days: number): ReportEntry[] {
  const captured = captureDates(history.funds);
  return entries.filter((entry) => {
    const on = captured.get(entry.pspReference);
    return entry.entryType === entryType && on !== undefined && daysBetween(on, entry.ledgerDate) >= days;
  });
}

describe('an emulator as messy as production', () => {
  const histories: History[] = [];
  const find = (pick: (ledger: LedgerTraits) => boolean): History => {
    const found = histories.find(({ ledger }) => pick(ledger));
    if (found === undefined) throw new Error('the emulator should have such a ledger');
    return found;
  };

  it.beforeAll(async ({ emulator }) => {
    for (const { ledger, client } of await readableLedgers(emulator)) {
      const [funds, fees, sales] = await Promise.all([
        walkReportFeed(client, ledger.ledgerId, 'funds'),
        walkReportFeed(client, ledger.ledgerId, 'fees'),
        walkSalesFeed(client, ledger.ledgerId),
      ]);
      histories.push({ ledger, client, funds: funds.entries, fees: fees.entries, sales });
    }
  }, 120_000);

  it('keeps the dates of a running month or week open, and closes those of a settled one', async () => {
    const monthly = find((ledger) => ledger.settlement === 'monthly');
    const weekly = find((ledger) => ledger.settlement === 'weekly');
    const tryLater = async ({ client, ledger }: History, date: string) => (await walkReportDate(client, ledger.ledgerId, 'funds', date)).tryLater;
    expect(await Promise.all(datesBetween('2026-05-01', today).map((date) => tryLater(monthly, date)))).toEqual(datesBetween('2026-05-01', today).map(() => true));
    expect(await tryLater(monthly, '2026-04-30')).toBe(false);
    // 2026-05-31 is a Sunday: the week since Monday is open, the week before is settled.
    expect(await Promise.all(datesBetween('2026-05-25', today).map((date) => tryLater(weekly, date)))).toEqual(datesBetween('2026-05-25', today).map(() => true));
    expect(await tryLater(weekly, '2026-05-24')).toBe(false);
  });

  it('keeps every date of a negative balance open until it is topped up', async () => {
    const troubled = find((ledger) => ledger.events.negativeBalance);
    const topUp = troubled.funds.find((entry) => entry.entryType === 'top-up');
    if (topUp === undefined) throw new Error('the negative ledger is topped up');
    // The run of dates before the top-up whose last entry left the balance negative.
    const closingOf = (date: string) => troubled.funds.filter((entry) => entry.ledgerDate === date).at(-1)?.balanceAfter ?? 0;
    const negative: string[] = [];
    for (let date = addDays(topUp.ledgerDate, -1); closingOf(date) < 0; date = addDays(date, -1)) negative.unshift(date);
    expect(negative.length).toBeGreaterThanOrEqual(4);
    const during = await startTestEmulator({ now: `${topUp.ledgerDate}T01:00:00Z` });
    try {
      const client = (await readableLedgers(during)).find(({ ledger }) => ledger.ledgerId === troubled.ledger.ledgerId)?.client;
      if (client === undefined) throw new Error('the negative ledger is readable');
      for (const date of negative) expect((await walkReportDate(client, troubled.ledger.ledgerId, 'funds', date)).tryLater, date).toBe(true);
    } finally {
      await during.close();
    }
    for (const date of negative) expect((await walkReportDate(troubled.client, troubled.ledger.ledgerId, 'funds', date)).tryLater, date).toBe(false);
  });

  it('books late entries of old sales on open dates', async () => {
    const onOpenDates: ReportEntry[] = [];
    for (const history of histories.filter(({ ledger }) => ledger.settlement !== 'daily')) {
      const { client, ledger } = history;
      const past = datesBetween(addDays(today, -31), addDays(today, -1));
      const walks = await Promise.all(past.map((date) => walkReportDate(client, ledger.ledgerId, 'funds', date)));
      const open = new Set(past.filter((_, index) => walks[index]?.tryLater));
      const captured = captureDates(history.funds);
      for (const entry of [...history.funds, ...history.fees]) {
        const on = captured.get(entry.pspReference);
        if (open.has(entry.ledgerDate) && on !== undefined && entry.entryType !== 'capture' && daysBetween(on, entry.ledgerDate) >= 7) onOpenDates.push(entry);
      }
    }
    expect(onOpenDates.length).toBeGreaterThan(0);
  });

  it('opens disputes weeks after their sale; some are won, some lost', () => {
    const retained = histories.flatMap((history) => lateEntries(history, history.funds, 'retained-disputed-capture', 7));
    const returned = new Set(histories.flatMap(({ funds }) => funds.filter((entry) => entry.entryType === 'returned-disputed-capture').map((entry) => entry.pspReference)));
    expect(retained.length).toBeGreaterThan(10);
    expect(retained.filter((entry) => returned.has(entry.pspReference)).length).toBeGreaterThan(0);
    // Lost: retained long enough ago that a return would have come, and none did.
    expect(retained.filter((entry) => !returned.has(entry.pspReference) && daysBetween(entry.ledgerDate, today) > 25).length).toBeGreaterThan(0);
  });

  it('captures orders in parts over several dates, each part with its own Sales entry, and refunds them over several dates', () => {
    const orders = new Map<string, { captures: Set<string>; refunds: Set<string>; sales: number }>();
    for (const { funds, sales } of histories) {
      for (const entry of funds) {
        if (entry.entryType !== 'capture' && entry.entryType !== 'refund') continue;
        const order = orders.get(entry.reference) ?? { captures: new Set(), refunds: new Set(), sales: 0 };
        (entry.entryType === 'capture' ? order.captures : order.refunds).add(entry.ledgerDate);
        orders.set(entry.reference, order);
      }
      for (const sale of sales) {
        const order = orders.get(sale.reference);
        if (order !== undefined && sale.entryType === 'capture') order.sales += 1;
      }
    }
    const inParts = [...orders.values()].filter((order) => order.captures.size >= 2);
    expect(inParts.length).toBeGreaterThan(50);
    expect(inParts.some((order) => order.sales >= 2)).toBe(true);
    expect([...orders.values()].some((order) => order.refunds.size >= 2)).toBe(true);
  });

  it('corrects fees weeks after their capture, and books service fees and credit notes', () => {
    expect(histories.flatMap((history) => lateEntries(history, history.fees, 'correction', 7)).length).toBeGreaterThan(5);
    const feeTypes = new Set(histories.flatMap(({ fees }) => fees.map((entry) => entry.entryType)));
    expect(feeTypes).toContain('service-fee');
    expect(feeTypes).toContain('credit-note');
    for (const entry of histories.flatMap(({ fees }) => fees.filter((candidate) => candidate.entryType === 'service-fee'))) {
      expect(entry.amount).toBeLessThan(0);
      expect(entry.recipientHandle).toBeUndefined();
    }
  });

  it('leaves some captures without any fee', () => {
    const withoutFee = histories.flatMap(({ ledger, funds, fees }) => {
      if (ledger.kind === 'epayment') return [];
      const charged = new Set(fees.filter((entry) => entry.entryType === 'capture-fee').map((entry) => entry.pspReference));
      return funds.filter((entry) => entry.entryType === 'capture' && entry.ledgerDate < addDays(today, -1) && !charged.has(entry.pspReference));
    });
    expect(withoutFee.length).toBeGreaterThan(0);
  });

  it('has days whose reconciliation really mismatches: a capture with another amount, a capture with no sale', () => {
    const mismatched: string[] = [];
    const lost: string[] = [];
    for (const { ledger, funds, sales } of histories.filter((history) => history.ledger.kind !== 'epayment')) {
      const bySale = new Map(sales.filter((sale) => sale.pspReference !== null).map((sale) => [sale.pspReference, sale]));
      for (const entry of funds.filter((candidate) => candidate.entryType === 'capture' && candidate.time >= floors.SHOPPING_BASKET)) {
        const sale = bySale.get(entry.pspReference);
        if (sale === undefined) lost.push(`${ledger.ledgerId} ${entry.ledgerDate}`);
        else if (sale.amounts.gross !== entry.amount) mismatched.push(`${ledger.ledgerId} ${entry.ledgerDate}`);
      }
    }
    expect(mismatched.length).toBeGreaterThan(0);
    expect(lost.length).toBeGreaterThan(0);
  });

  it('aborts payouts of a ledger with two sales units, and pays the money again with the next one', () => {
    const twoUnits = find((ledger) => ledger.recipientHandles.length === 2 && ledger.events.payoutAborts);
    const aborted = twoUnits.funds.filter((entry) => entry.entryType === 'payout-aborted');
    expect(aborted.length).toBeGreaterThan(0);
    for (const abort of aborted) {
      const payout = twoUnits.funds.find((entry) => entry.entryType === 'payout-scheduled' && entry.pspReference === abort.pspReference);
      expect(payout?.amount).toBe(-abort.amount);
      expect(daysBetween(payout?.ledgerDate ?? '', abort.ledgerDate)).toBe(1);
      const again = twoUnits.funds.find((entry) => entry.entryType === 'payout-scheduled' && entry.ledgerDate >= abort.ledgerDate);
      if (again !== undefined) expect(-again.amount).toBeGreaterThanOrEqual(abort.amount);
    }
  });

  it('has Report history older than the Sales API: captures before the floors that no sale matches', () => {
    const floorOf = (ledger: LedgerTraits) => (ledger.kind === 'mpos' ? floors.MPOS : floors.VARIABLE_AMOUNT);
    const older = histories.filter(({ ledger }) => ledger.kind !== 'epayment' && ledger.firstLedgerDate < floorOf(ledger).slice(0, 10));
    expect(older.length).toBeGreaterThanOrEqual(2);
    for (const { ledger, funds, sales } of older) {
      const early = funds.filter((entry) => entry.entryType === 'capture' && entry.time < floorOf(ledger));
      expect(early.length, ledger.ledgerId).toBeGreaterThan(0);
      expect(sales.filter((sale) => sale.time < floorOf(ledger))).toEqual([]);
    }
  });
});

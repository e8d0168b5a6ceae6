import { describe, expect } from 'vitest';
import type { EmulatorAdmin } from '../../src/emulator/admin-client.ts';
import { addDays, datesFrom } from '../../src/kernel/calendar.ts';
import { chunkDates } from '../../src/server/routes/journal-csv.ts';
import { MirrorReader } from '../../src/sync/reader.ts';
import { syncPass } from '../../src/sync/syncer.ts';
import { it } from '../bookkeeping/harness.ts';
import { graphql } from '../gql/index.ts';
import { mirrorRig, type MirrorRig } from '../mirror/support.ts';
import { narrow, present } from '../support/answers.ts';
import { today } from '../support/clock.ts';
import { gatewayOver, type TestGateway } from '../support/gateway.ts';
import { callsTo, routes } from '../support/routes.ts';
import { plainUpstream } from '../support/upstream.ts';
import { JournalTotals } from './documents.ts';
import { cellsOf } from './support.ts';

/**
 * A year's journal and a two-month VAT summary, with the feed mirror and without: the same
 * figures, exact against the raw answers; without the mirror a year is too costly for one
 * request (refused with what to do instead) and the CSV reads it month by month; with it, the
 * Report dates cost no upstream call at all.
 */

const YearPeriod = graphql(`
  query YearPeriod($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) { __typename ... on Ledger { period(from: $from, to: $to) { isClosed movements { captures { count amount { minorUnits } } } } } }
  }
`);

const TwoMonthVat = graphql(`
  query TwoMonthVat($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger { vatSummary(from: $from, to: $to) { isFinal breakdown { gross { minorUnits } vat { minorUnits } byRate { rateBasisPoints vat { minorUnits } } } } }
    }
  }
`);

const to = addDays(today, -1);
const from = addDays(to, -364);
const dates = datesFrom(from, to);

async function counted<T>(admin: EmulatorAdmin, ask: () => Promise<T>) {
  await admin.resetStats();
  const answer = await ask();
  const stats = await admin.stats();
  return { answer, reportDates: callsTo(stats, routes.reportDate), salesDates: callsTo(stats, routes.salesDate) };
}

async function csvOf(gateway: TestGateway, ledgerId: string): Promise<string> {
  const response = await gateway.yoga.fetch(`http://localhost/journal.csv?ledgerId=${ledgerId}&from=${from}&to=${to}`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The CSV's rows, Σ debit, Σ credit and the clearing account's net movement. */
function csvSums(text: string) {
  const rows = text.split('\r\n').slice(1).filter((line) => line !== '').map(cellsOf);
  let debit = 0;
  let credit = 0;
  let clearing = 0;
  for (const row of rows) {
    debit += Number(row[3]);
    credit += Number(row[4]);
    if (row[1] === '1580') clearing += Number(row[3]) - Number(row[4]);
  }
  return { rows: rows.length, debit, credit, clearing };
}

describe('a year of books', () => {
  let rig: MirrorRig;
  let mirrored: TestGateway;
  let plain: TestGateway;
  let ledgerId: string;

  it.beforeAll(async ({ emulator, redis, openUpstream }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && candidate.feeSettlement === 'net' && !candidate.busiest);
    ledgerId = ledger.ledgerId;
    rig = await mirrorRig(redis.url, openUpstream());
    expect((await syncPass(rig.options({ ledgerIds: [ledgerId] }))).failed).toBe(0);
    // Without the composition root's cache: each read the figures below count is a read upstream.
    mirrored = gatewayOver(plainUpstream(emulator.url, emulator.partner, {}, { mirror: (fp) => new MirrorReader(rig.redis, fp) }), {
      env: { REQUEST_DEADLINE_MS: '30000', REQUEST_DEADLINE_MAX_MS: '30000' },
    });
    plain = gatewayOver(plainUpstream(emulator.url, emulator.partner), { env: { REQUEST_DEADLINE_MS: '30000', REQUEST_DEADLINE_MAX_MS: '30000' } });
  }, 120_000);
  it.afterAll(async () => {
    await mirrored.close();
    await plain.close();
    await rig.close();
  });

  it('is refused in one request without the mirror, naming `to` and the mirror, before any upstream call', async ({ admin }) => {
    for (const document of [YearPeriod, JournalTotals] as const) {
      const refused = await counted(admin, () => plain.request(document, { ledgerId, from, to }));
      expect(refused.reportDates + refused.salesDates).toBe(0);
      const [error] = refused.answer.errors;
      expect(error?.extensions?.code).toBe('QUERY_TOO_COSTLY');
      expect(error?.message).toMatch(/narrower range \(`to` closer to `from`\)/);
      expect(error?.message).toMatch(/feed mirror \(`SYNC_IN_PROCESS=true`/);
    }
  });

  it("'s journal is the same with the mirror and without, exact against the raw funds, and costs at most the newest Report dates with it", async ({ admin, raw }) => {
    const days = await raw.days(ledgerId, [addDays(from, -1), ...dates]);
    // One page per date and account: the calls below are one per date.
    expect(days.every((day) => day.funds.entries.length < 1000 && day.fees.entries.length < 1000 && day.sales.length < 1000)).toBe(true);
    const chunks = Math.ceil(dates.length / chunkDates);

    const without = await counted(admin, () => csvOf(plain, ledgerId));
    // Month by month: both accounts of every date once, and each month's Sales dates from the date before it.
    expect(without.reportDates).toBe(2 * dates.length);
    expect(without.salesDates).toBe(dates.length + chunks);

    const withMirror = await counted(admin, () => csvOf(mirrored, ledgerId));
    // The mirror holds whole every date before the newest it stored on each account; the last date
    // of the year can be that newest one (its fees may still land on the next), so it is read upstream.
    expect(withMirror.reportDates).toBeLessThanOrEqual(2);
    expect(withMirror.salesDates).toBe(dates.length + chunks);
    expect(withMirror.answer).toBe(without.answer);

    const sums = csvSums(without.answer);
    const funds = days.slice(1).flatMap((day) => day.funds.entries);
    expect(sums.debit).toBe(sums.credit);
    expect(sums.clearing).toBe(funds.reduce((total, entry) => total + entry.amount, 0));
    expect(funds.length).toBeGreaterThan(100);

    // In the graph, with the mirror, a year is one request: both accounts from Redis, the Sales dates upstream.
    const graph = await counted(admin, () => mirrored.execute(JournalTotals, { ledgerId, from, to }));
    const journal = present(narrow(graph.answer.ledger, 'Ledger').journal, 'journal');
    expect(graph.reportDates).toBeLessThanOrEqual(2);
    expect(graph.salesDates).toBe(dates.length + 1);
    expect({ debit: journal.debit?.minorUnits, credit: journal.credit?.minorUnits, lines: journal.lines?.totalCount, isFinal: journal.isFinal }).toEqual({
      debit: sums.debit,
      credit: sums.debit,
      lines: sums.rows,
      isFinal: true,
    });

    const period = await counted(admin, () => mirrored.execute(YearPeriod, { ledgerId, from, to }));
    expect(period.reportDates).toBeLessThanOrEqual(2);
    expect(period.salesDates).toBe(0);
    const captures = funds.filter((entry) => entry.entryType === 'capture');
    expect(present(narrow(period.answer.ledger, 'Ledger').period, 'period').movements?.captures).toEqual({
      count: captures.length,
      amount: { minorUnits: captures.reduce((total, entry) => total + entry.amount, 0) },
    });
  }, 240_000);

  it('gives the same two-month VAT summary with the mirror and without, reading the same Sales dates', async ({ admin, raw }) => {
    const vatTo = addDays(today, -1);
    const vatFrom = addDays(vatTo, -60);
    const variables = { ledgerId, from: vatFrom, to: vatTo };
    const without = await counted(admin, () => plain.execute(TwoMonthVat, variables));
    const withMirror = await counted(admin, () => mirrored.execute(TwoMonthVat, variables));
    expect(withMirror.answer).toEqual(without.answer);
    expect({ reportDates: without.reportDates, salesDates: without.salesDates }).toEqual({ reportDates: 1, salesDates: 61 });
    expect(withMirror.salesDates).toBe(61);
    expect(withMirror.reportDates).toBeLessThanOrEqual(1);
    const sales = (await raw.days(ledgerId, datesFrom(vatFrom, vatTo))).flatMap((day) => day.sales);
    const breakdown = present(present(narrow(without.answer.ledger, 'Ledger').vatSummary, 'vatSummary').breakdown, 'breakdown');
    expect(breakdown.gross.minorUnits).toBe(sales.reduce((total, sale) => total + sale.amounts.gross, 0));
    const vat = sales.flatMap((sale) => sale.lines).reduce((total, line) => total + (line.vatAmount ?? 0), 0);
    const withoutRate = sales.filter((sale) => sale.lines.length === 0 && sale.amounts.vat !== null).reduce((total, sale) => total + (sale.amounts.vat ?? 0), 0);
    expect(breakdown.vat.minorUnits).toBe(vat + withoutRate);
  });
});

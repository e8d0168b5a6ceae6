import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import type { LogFields, Logger } from '../../src/logger.ts';
import { chunkDates, journalCsvColumns } from '../../src/server/routes/journal-csv.ts';
import { apiKeyDigest } from '../../src/tenancy/directory.ts';
import { it } from '../bookkeeping/harness.ts';
import { today } from '../support/clock.ts';
import type { TestGateway } from '../support/gateway.ts';
import { cellsOf, journalLines } from './support.ts';

/**
 * `GET /journal.csv`: the same lines as `Ledger.journal`, streamed as CSV, through the same
 * authentication, tenant check, rate limits, cost limit and access line as the graph.
 */

const keys = { shop: 'rgw_test_csv_shop_Qm4Tz8Lk2Wx6', other: 'rgw_test_csv_other_Hb7Nc3Vs9Pe1', slow: 'rgw_test_csv_slow_Rd5Jy1Ku6Xa4' };

function download(gateway: TestGateway, query: Record<string, string>, key?: string): Promise<Response> {
  const url = `http://localhost/journal.csv?${new URLSearchParams(query).toString()}`;
  return Promise.resolve(gateway.yoga.fetch(url, { headers: key === undefined ? {} : { authorization: `Bearer ${key}` } }));
}

function capturing(): { logger: Logger; access: LogFields[] } {
  const access: LogFields[] = [];
  const noop = () => {};
  return { access, logger: { debug: noop, warn: noop, error: noop, info: (message, fields) => (message === 'access' && fields ? access.push(fields) : undefined) } };
}

describe('the journal as CSV', () => {
  let directory: string;
  it.beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'journal-csv-'));
  });
  it.afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function tenantsFile(shopLedger: string, otherLedger: string): Promise<string> {
    const path = join(directory, 'tenants.json');
    const tenants = [
      { id: 'shop', ledgers: [shopLedger], apiKeys: [apiKeyDigest(keys.shop)], limits: { requestsPerMinute: 0, upstreamCallsPerMinute: 0 } },
      { id: 'other', ledgers: [otherLedger], apiKeys: [apiKeyDigest(keys.other)], limits: { requestsPerMinute: 0, upstreamCallsPerMinute: 0 } },
      { id: 'slow', ledgers: [shopLedger], apiKeys: [apiKeyDigest(keys.slow)], limits: { requestsPerMinute: 1, upstreamCallsPerMinute: 0 } },
    ];
    await writeFile(path, JSON.stringify({ tenants }));
    return path;
  }

  it('of 40 dates is the graph\'s journal row for row, in two requests of the graph with an access line each', async ({ emulator, openGateway }) => {
    const [shop, other] = (await emulator.grantedLedgers()).filter((ledger) => ledger.kind === 'vm' && !ledger.busiest);
    if (shop === undefined || other === undefined) throw new Error('the demo partner has two quiet Vippsnummer ledgers');
    const { logger, access } = capturing();
    const gateway = await openGateway({ env: { TENANTS_FILE: await tenantsFile(shop.ledgerId, other.ledgerId) }, logger });
    const from = addDays(today, -40);
    const to = addDays(today, -1);

    const response = await download(gateway, { ledgerId: shop.ledgerId, from, to }, keys.shop);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="journal-${shop.ledgerId}-${from}-${to}.csv"`);
    const text = await response.text();
    const [header, ...rows] = text.split('\r\n').filter((line) => line !== '').map(cellsOf);
    expect(header).toEqual([...journalCsvColumns]);

    const { lines } = await journalLines(gateway, { ledgerId: shop.ledgerId, from, to }, { authorization: `Bearer ${keys.shop}` });
    const column = (name: (typeof journalCsvColumns)[number]) => journalCsvColumns.indexOf(name);
    expect(rows.map((row) => row[column('trace')])).toEqual(lines.map((line) => line.trace));
    expect(rows.map((row) => Number(row[column('debitMinorUnits')]))).toEqual(lines.map((line) => line.debit.minorUnits));
    expect(rows.map((row) => row[column('credit')])).toEqual(lines.map((line) => line.credit.decimal));
    expect(rows.map((row) => row[column('account')])).toEqual(lines.map((line) => line.account.number));
    expect(rows.every((row) => row[column('currency')] === shop.currency)).toBe(true);
    const sum = (name: 'debitMinorUnits' | 'creditMinorUnits') => rows.reduce((total, row) => total + Number(row[column(name)]), 0);
    expect(sum('debitMinorUnits')).toBe(sum('creditMinorUnits'));
    expect(sum('debitMinorUnits')).toBeGreaterThan(0);

    const csvLines = access.filter((line) => line.operation === 'JournalCsv');
    expect(csvLines).toHaveLength(Math.ceil(40 / chunkDates));
    expect(csvLines.every((line) => line.tenant === 'shop' && line.outcome === 'ok' && (line.ledgers as string[]).includes(shop.ledgerId))).toBe(true);
  }, 60_000);

  it('is refused, before any CSV and any upstream call, without identity, for a ledger of another tenant, and for bad dates', async ({ emulator, openGateway, admin }) => {
    const [shop, other] = (await emulator.grantedLedgers()).filter((ledger) => ledger.kind === 'vm' && !ledger.busiest);
    if (shop === undefined || other === undefined) throw new Error('the demo partner has two quiet Vippsnummer ledgers');
    const gateway = await openGateway({ env: { TENANTS_FILE: await tenantsFile(shop.ledgerId, other.ledgerId) } });
    const range = { from: addDays(today, -5), to: addDays(today, -1) };
    await admin.resetStats();

    const anonymous = await download(gateway, { ledgerId: shop.ledgerId, ...range });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await anonymous.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });

    const foreign = await download(gateway, { ledgerId: other.ledgerId, ...range }, keys.shop);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ data: { ledger: { __typename: 'NotFoundError' } } });

    const backwards = await download(gateway, { ledgerId: shop.ledgerId, from: range.to, to: range.from }, keys.shop);
    expect(backwards.status).toBe(400);
    expect(await backwards.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', argument: 'to' } }] });
    const tooLong = await download(gateway, { ledgerId: shop.ledgerId, from: '2025-01-01', to: '2026-01-02' }, keys.shop);
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toMatch(/at most 366 dates/);
    const badDate = await download(gateway, { ledgerId: shop.ledgerId, from: '2026-02-30', to: range.to }, keys.shop);
    expect(badDate.status).toBe(400);
    expect(await badDate.json()).toMatchObject({ errors: [{ extensions: { argument: 'from' } }] });

    const reads = (await admin.stats()).routes;
    expect(reads['GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}'] ?? 0).toBe(0);
    expect(reads['GET /sales/report/v1/ledgers/{ledgerId}/dates/{ledgerDate}'] ?? 0).toBe(0);
  });

  it("counts each month of the download against the tenant's request budget", async ({ emulator, openGateway, redis }) => {
    const [shop, other] = (await emulator.grantedLedgers()).filter((ledger) => ledger.kind === 'vm' && !ledger.busiest);
    if (shop === undefined || other === undefined) throw new Error('the demo partner has two quiet Vippsnummer ledgers');
    const gateway = await openGateway({ redis, env: { TENANTS_FILE: await tenantsFile(shop.ledgerId, other.ledgerId) } });
    // One request a minute: the first month is answered, the second is refused and the download ends unfinished.
    const response = await download(gateway, { ledgerId: shop.ledgerId, from: addDays(today, -40), to: addDays(today, -1) }, keys.slow);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    const again = await download(gateway, { ledgerId: shop.ledgerId, from: addDays(today, -3), to: addDays(today, -1) }, keys.slow);
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

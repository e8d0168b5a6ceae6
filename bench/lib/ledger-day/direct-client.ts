import { Pool } from 'undici';
import { z } from 'zod';
import { decimalOf, type LedgerDayData, type Money, type Movement, type Sale } from './query.ts';

/**
 * The best a hand-written client can do for one ledger day, straight against the REST APIs:
 * one token for its whole life, every Sales page of the date at 1000 entries, the funds and fees
 * dates D and D+1 fetched in parallel with the sales (their dates are known up front), and a
 * join in memory by pspReference. Only the fields the answer needs are parsed.
 */

const salesPageModel = z.object({
  items: z.array(
    z.object({
      entryType: z.string(),
      time: z.string(),
      reference: z.string(),
      pspReference: z.string().nullish(),
      currency: z.string(),
      amounts: z.object({ gross: z.number().int().nullish() }).nullish(),
      lines: z
        .array(
          z.object({
            lineId: z.string(),
            name: z.string(),
            quantity: z.number(),
            unitPriceGross: z.number().int().nullish(),
            discountTotal: z.number().int().nullish(),
            lineTotalGross: z.number().int().nullish(),
            vatRate: z.number().int().nullish(),
          }),
        )
        .nullish(),
    }),
  ),
  cursor: z.string().nullish(),
  hasMore: z.boolean().optional(),
});
type SalesEntry = z.infer<typeof salesPageModel>['items'][number];

const reportPageModel = z.object({
  items: z.array(
    z.object({
      pspReference: z.string().nullish(),
      entryType: z.string(),
      ledgerDate: z.string(),
      amount: z.number().int(),
      currency: z.string(),
    }),
  ),
  cursor: z.string().nullish(),
  hasMore: z.boolean().optional(),
});
type ReportEntry = z.infer<typeof reportPageModel>['items'][number];

const tokenModel = z.object({ access_token: z.string() });

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

const money = (minorUnits: number, currency: string): Money => ({ minorUnits, decimal: decimalOf(minorUnits), currency });
const movement = (entry: ReportEntry): Movement => ({
  entryType: entry.entryType,
  ledgerDate: entry.ledgerDate,
  amount: money(entry.amount, entry.currency),
});
const orNull = <T, R>(value: T | null | undefined, map: (present: T) => R): R | null =>
  value === null || value === undefined ? null : map(value);

function byPspReference(entries: readonly ReportEntry[]): Map<string, ReportEntry[]> {
  const index = new Map<string, ReportEntry[]>();
  for (const entry of entries) {
    if (!entry.pspReference) continue;
    const list = index.get(entry.pspReference);
    if (list) list.push(entry);
    else index.set(entry.pspReference, [entry]);
  }
  return index;
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export class DirectClient {
  private readonly pool: Pool;
  private token: Promise<string> | null = null;

  constructor(
    baseUrl: string,
    private readonly credentials: Credentials,
  ) {
    this.pool = new Pool(baseUrl, { connections: 16 });
  }

  private bearer(): Promise<string> {
    this.token ??= (async () => {
      const { clientId, clientSecret } = this.credentials;
      const response = await this.pool.request({
        method: 'POST',
        path: '/miami/v1/token',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      if (response.statusCode !== 200) throw new Error(`token: HTTP ${response.statusCode} ${await response.body.text()}`);
      return tokenModel.parse(await response.body.json()).access_token;
    })();
    return this.token;
  }

  private async get(path: string): Promise<unknown> {
    const response = await this.pool.request({ method: 'GET', path, headers: { authorization: `Bearer ${await this.bearer()}` } });
    if (response.statusCode !== 200) throw new Error(`GET ${path}: HTTP ${response.statusCode} ${await response.body.text()}`);
    return response.body.json();
  }

  /** Every sale of the date, pages of 1000. */
  async sales(ledgerId: string, date: string): Promise<SalesEntry[]> {
    const entries: SalesEntry[] = [];
    let cursor: string | null | undefined;
    do {
      const query = `pageSize=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = salesPageModel.parse(await this.get(`/sales/report/v1/ledgers/${ledgerId}/dates/${date}?${query}`));
      entries.push(...page.items);
      cursor = page.hasMore ? page.cursor : null;
    } while (cursor);
    return entries;
  }

  private async reportDate(ledgerId: string, topic: 'funds' | 'fees', date: string): Promise<ReportEntry[]> {
    const entries: ReportEntry[] = [];
    let cursor: string | null | undefined;
    do {
      const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const page = reportPageModel.parse(await this.get(`/report/v2/ledgers/${ledgerId}/${topic}/dates/${date}${query}`));
      entries.push(...page.items);
      cursor = page.hasMore ? page.cursor : null;
    } while (cursor);
    return entries;
  }

  /**
   * The ledger-day answer. A sale's capture is on D, or on D+1 when it came past the cut-off;
   * its fees may be on both. The dates are taken as closed (the benchmark picks closed ones).
   */
  async ledgerDay(ledgerId: string, date: string): Promise<LedgerDayData> {
    const next = nextDate(date);
    const [sales, funds, fundsNext, fees, feesNext] = await Promise.all([
      this.sales(ledgerId, date),
      this.reportDate(ledgerId, 'funds', date).then(byPspReference),
      this.reportDate(ledgerId, 'funds', next).then(byPspReference),
      this.reportDate(ledgerId, 'fees', date).then(byPspReference),
      this.reportDate(ledgerId, 'fees', next).then(byPspReference),
    ]);
    const join = (sale: SalesEntry): Sale => {
      const psp = sale.pspReference ?? null;
      const captures = psp === null ? [] : (funds.get(psp) ?? fundsNext.get(psp) ?? []);
      const saleFees = psp === null ? [] : [...(fees.get(psp) ?? []), ...(feesNext.get(psp) ?? [])];
      return {
        entryType: sale.entryType,
        time: sale.time,
        reference: sale.reference,
        pspReference: psp,
        gross: orNull(sale.amounts?.gross, (gross) => money(gross, sale.currency)),
        orderLines: (sale.lines ?? []).map((line) => ({
          lineId: line.lineId,
          name: line.name,
          quantity: line.quantity,
          unitPriceGross: orNull(line.unitPriceGross, (minorUnits) => ({ minorUnits })),
          discount: orNull(line.discountTotal, (minorUnits) => ({ minorUnits })),
          lineTotalGross: orNull(line.lineTotalGross, (minorUnits) => ({ minorUnits })),
          vatRate: orNull(line.vatRate, (basisPoints) => ({ basisPoints })),
        })),
        captures: captures.map(movement),
        fees: saleFees.map(movement),
      };
    };
    return { ledger: { __typename: 'Ledger', sales: { totalCount: sales.length, edges: sales.map((sale) => ({ node: join(sale) })) } } };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

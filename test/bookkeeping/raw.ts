import { z } from 'zod';
import type { DemoPartner } from '../../src/emulator/index.ts';

/**
 * The emulator's REST answers read by hand, apart from the gateway's own clients and models:
 * what the bookkeeping suites compare the gateway with. Only the fields the sums need are parsed.
 */

export const rawReportEntryModel = z.object({
  pspReference: z.string().nullish(),
  ledgerDate: z.string(),
  entryType: z.string(),
  reference: z.string().nullish(),
  currency: z.string(),
  amount: z.number().int(),
  balanceBefore: z.number().int(),
  balanceAfter: z.number().int(),
  recipientHandle: z.string().nullish(),
});

const rawReportPageModel = z.object({
  items: z.array(rawReportEntryModel),
  hasMore: z.boolean().optional(),
  cursor: z.string().optional(),
  tryLater: z.boolean().optional(),
});

export const rawSaleModel = z.object({
  entryType: z.string(),
  time: z.string(),
  pspReference: z.string().nullable(),
  reference: z.string(),
  paymentType: z.string().nullable(),
  classification: z.object({ solution: z.string().nullable() }),
  amounts: z.object({ gross: z.number().int(), net: z.number().int().nullable(), vat: z.number().int().nullable() }),
  lines: z.array(
    z.object({
      lineTotalGross: z.number().int(),
      lineTotalNet: z.number().int().nullable(),
      vatRate: z.number().int().nullable(),
      vatAmount: z.number().int().nullable(),
    }),
  ),
});

const rawSalesPageModel = z.object({ items: z.array(rawSaleModel), hasMore: z.boolean(), cursor: z.string().optional() });

export type RawReportEntry = z.infer<typeof rawReportEntryModel>;
export type RawSale = z.infer<typeof rawSaleModel>;

export interface RawAccountDay {
  date: string;
  isClosed: boolean;
  entries: RawReportEntry[];
}

export interface RawDay {
  date: string;
  funds: RawAccountDay;
  fees: RawAccountDay;
  sales: RawSale[];
}

/** Reads whole dates of one partner's ledgers over plain HTTP, each date once. */
export class RawLedgers {
  #token: Promise<string> | null = null;
  readonly #days = new Map<string, Promise<RawDay>>();

  constructor(
    readonly url: string,
    readonly partner: DemoPartner,
  ) {}

  async #get(path: string): Promise<unknown> {
    this.#token ??= this.#requestToken();
    const response = await fetch(`${this.url}${path}`, { headers: { authorization: `Bearer ${await this.#token}` } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }

  async #requestToken(): Promise<string> {
    const basic = Buffer.from(`${this.partner.clientId}:${this.partner.clientSecret}`).toString('base64');
    const response = await fetch(`${this.url}/miami/v1/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    return z.object({ access_token: z.string() }).parse(await response.json()).access_token;
  }

  async account(ledgerId: string, topic: 'funds' | 'fees', date: string): Promise<RawAccountDay> {
    const entries: RawReportEntry[] = [];
    let isClosed = true;
    let cursor: string | undefined;
    do {
      const query = cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`;
      const page = rawReportPageModel.parse(await this.#get(`/report/v2/ledgers/${ledgerId}/${topic}/dates/${date}${query}`));
      entries.push(...page.items);
      if (page.tryLater === true) isClosed = false;
      cursor = page.hasMore === true ? page.cursor : undefined;
    } while (cursor !== undefined);
    return { date, isClosed, entries };
  }

  async sales(ledgerId: string, date: string): Promise<RawSale[]> {
    const sales: RawSale[] = [];
    let cursor: string | undefined;
    do {
      const query = `?pageSize=1000${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const page = rawSalesPageModel.parse(await this.#get(`/sales/report/v1/ledgers/${ledgerId}/dates/${date}${query}`));
      sales.push(...page.items);
      cursor = page.hasMore ? page.cursor : undefined;
    } while (cursor !== undefined);
    return sales;
  }

  async salesByReference(ledgerId: string, reference: string): Promise<RawSale[]> {
    const answer = await this.#get(`/sales/report/v1/ledgers/${ledgerId}/references/${encodeURIComponent(reference)}`);
    return z.object({ items: z.array(rawSaleModel) }).parse(answer).items;
  }

  day(ledgerId: string, date: string): Promise<RawDay> {
    const key = `${ledgerId}/${date}`;
    let day = this.#days.get(key);
    if (day === undefined) {
      day = Promise.all([this.account(ledgerId, 'funds', date), this.account(ledgerId, 'fees', date), this.sales(ledgerId, date)]).then(
        ([funds, fees, sales]) => ({ date, funds, fees, sales }),
      );
      this.#days.set(key, day);
    }
    return day;
  }

  days(ledgerId: string, dates: readonly string[]): Promise<RawDay[]> {
    return Promise.all(dates.map((date) => this.day(ledgerId, date)));
  }
}

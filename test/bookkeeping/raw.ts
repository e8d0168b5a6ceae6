import { z } from 'zod';
import type { DemoPartner } from '../../src/emulator/index.ts';
import { PartnerClient } from '../support/partner-client.ts';

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
  readonly #client: PartnerClient;
  readonly #days = new Map<string, Promise<RawDay>>();

  constructor(url: string, partner: DemoPartner) {
    this.#client = new PartnerClient(url, partner);
  }

  async account(ledgerId: string, topic: 'funds' | 'fees', date: string): Promise<RawAccountDay> {
    const entries: RawReportEntry[] = [];
    let isClosed = true;
    let cursor: string | undefined;
    do {
      const query = cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`;
      const page = await this.#client.json(`/report/v2/ledgers/${ledgerId}/${topic}/dates/${date}${query}`, rawReportPageModel);
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
      const page = await this.#client.json(`/sales/report/v1/ledgers/${ledgerId}/dates/${date}${query}`, rawSalesPageModel);
      sales.push(...page.items);
      cursor = page.hasMore ? page.cursor : undefined;
    } while (cursor !== undefined);
    return sales;
  }

  async salesByReference(ledgerId: string, reference: string): Promise<RawSale[]> {
    const path = `/sales/report/v1/ledgers/${ledgerId}/references/${encodeURIComponent(reference)}`;
    return (await this.#client.json(path, z.object({ items: z.array(rawSaleModel) }))).items;
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

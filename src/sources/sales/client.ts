import { followPages } from '../pages.ts';
import type { UpstreamHttp } from '../http.ts';
import { fillRoute } from '../paths.ts';
import { salesLookupModel, salesPageModel, type SalesEntry, type SalesPage } from './models.ts';

/** Route templates, spelled as the emulator counts them. */
export const salesRoutes = {
  feed: '/sales/report/v1/ledgers/{ledgerId}',
  date: '/sales/report/v1/ledgers/{ledgerId}/dates/{ledgerDate}',
  reference: '/sales/report/v1/ledgers/{ledgerId}/references/{reference}',
  pspReference: '/sales/report/v1/ledgers/{ledgerId}/psp-references/{pspReference}',
} as const;

export interface SalesPaging {
  cursor?: string;
  /** 1..1000 upstream; 100 when left out. */
  pageSize?: number;
}

/** The largest page upstream serves: a whole date in as few calls as possible. */
export const maxSalesPageSize = 1000;

export class SalesClient {
  constructor(private readonly http: UpstreamHttp) {}

  async datePage(ledgerId: string, date: string, paging: SalesPaging = {}): Promise<SalesPage> {
    const path = fillRoute(salesRoutes.date, { ledgerId, ledgerDate: date });
    return this.http.get(salesRoutes.date, path, salesPageModel, { cursor: paging.cursor, pageSize: paging.pageSize });
  }

  /** Every sale of one ledger date, all pages joined. */
  async forDate(ledgerId: string, date: string): Promise<SalesEntry[]> {
    const pages = await followPages(
      salesRoutes.date,
      (cursor) => this.datePage(ledgerId, date, { cursor, pageSize: maxSalesPageSize }),
      (page) => (page.hasMore && page.cursor ? page.cursor : null),
    );
    return pages.flatMap((page) => page.items);
  }

  /** Every capture and refund of one order. */
  async byReference(ledgerId: string, reference: string): Promise<SalesEntry[]> {
    const path = fillRoute(salesRoutes.reference, { ledgerId, reference });
    return (await this.http.get(salesRoutes.reference, path, salesLookupModel)).items;
  }

  /** The one capture or refund with this `pspReference`, or null. */
  async byPspReference(ledgerId: string, pspReference: string): Promise<SalesEntry | null> {
    const path = fillRoute(salesRoutes.pspReference, { ledgerId, pspReference });
    return (await this.http.get(salesRoutes.pspReference, path, salesLookupModel)).items[0] ?? null;
  }

  /** One page of the ledger's sales feed; at its end the same cursor comes back with no items. */
  async feedPage(ledgerId: string, paging: SalesPaging = {}): Promise<SalesPage> {
    const path = fillRoute(salesRoutes.feed, { ledgerId });
    return this.http.get(salesRoutes.feed, path, salesPageModel, { cursor: paging.cursor, pageSize: paging.pageSize });
  }
}

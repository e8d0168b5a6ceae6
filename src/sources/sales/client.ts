import { z } from 'zod';
import { salesDateKey } from '../cache/keys.ts';
import { followPages } from '../http/pages.ts';
import type { UpstreamHttp } from '../http/http.ts';
import { jsonCodec } from '../cache/read-through.ts';
import { DecodedCache, type UpstreamCache } from '../cache/upstream.ts';
import { salesEntryModel, salesLookupModel, salesPageModel, type SalesEntry, type SalesPage } from './models.ts';

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

/** A cached Sales date, and whether it was known to be final when stored. */
export interface CachedSalesDate {
  entries: SalesEntry[];
  final: boolean;
}
const salesDateCodec = jsonCodec<CachedSalesDate>(z.object({ entries: z.array(salesEntryModel), final: z.boolean() }));

export interface SalesMirror {
  /** The mirrored entries among these pspReferences (absent ones are not in the map); null when the mirror cannot say. */
  salesByPspReference(ledgerId: string, pspReferences: readonly string[]): Promise<Map<string, SalesEntry> | null>;
}

export interface SalesClientOptions {
  cache?: UpstreamCache | null;
  /**
   * Whether a ledger date is final. The Sales API has no `tryLater`: a date is taken as final
   * once the same Report date is closed, and until then it is kept only briefly.
   */
  isFinal?: (ledgerId: string, date: string) => Promise<boolean>;
  mirror?: SalesMirror | null;
}

export class SalesClient {
  private readonly cached: UpstreamCache | null;
  private readonly days: DecodedCache<CachedSalesDate> | null;
  private readonly isFinal: (ledgerId: string, date: string) => Promise<boolean>;
  /** The feed mirror, where one is kept: a sale found there needs no lookup upstream. */
  readonly mirror: SalesMirror | null;

  constructor(
    private readonly http: UpstreamHttp,
    options: SalesClientOptions = {},
  ) {
    this.cached = options.cache ?? null;
    this.days = this.cached && new DecodedCache(this.cached, 'sales date', salesDateCodec, (day) => day.entries.length);
    this.isFinal = options.isFinal ?? (async () => false);
    this.mirror = options.mirror ?? null;
  }

  async datePage(ledgerId: string, date: string, paging: SalesPaging = {}): Promise<SalesPage> {
    return this.http.get(salesRoutes.date, { ledgerId, ledgerDate: date }, salesPageModel, { cursor: paging.cursor, pageSize: paging.pageSize });
  }

  /** Every sale of one ledger date: from the cache when it holds the date, else from all upstream pages. */
  async forDate(ledgerId: string, date: string): Promise<SalesEntry[]> {
    return (await this.forDateSettled(ledgerId, date)).entries;
  }

  /** The same, and whether the date was known to be final when its entries were read. */
  async forDateSettled(ledgerId: string, date: string): Promise<CachedSalesDate> {
    const { cached, days } = this;
    if (cached === null || days === null) return this.fetchSettled(ledgerId, date);
    const key = salesDateKey(cached.fingerprint, ledgerId, date);
    const ttl = (day: CachedSalesDate) => (day.final ? null : cached.policy.openDateTtlSeconds);
    const load = () => this.fetchSettled(ledgerId, date);
    const day = await days.read(key, ttl, load, async (shared) => {
      // Often the Report date closes (or is first read) after the Sales date was stored: from
      // then on the stored date is final, and kept for good without asking upstream again.
      if (shared.final || !(await this.isFinal(ledgerId, date))) return shared;
      const final = { entries: shared.entries, final: true };
      await days.write(key, final, null);
      return final;
    });
    return day;
  }

  private async fetchSettled(ledgerId: string, date: string): Promise<CachedSalesDate> {
    return { entries: await this.fetchDate(ledgerId, date), final: await this.isFinal(ledgerId, date) };
  }

  private async fetchDate(ledgerId: string, date: string): Promise<SalesEntry[]> {
    const pages = await followPages(
      salesRoutes.date,
      (cursor) => this.datePage(ledgerId, date, { cursor, pageSize: maxSalesPageSize }),
      (page) => (page.hasMore && page.cursor ? page.cursor : null),
    );
    return pages.flatMap((page) => page.items);
  }

  /** Every capture and refund of one order. */
  async byReference(ledgerId: string, reference: string): Promise<SalesEntry[]> {
    return (await this.http.get(salesRoutes.reference, { ledgerId, reference }, salesLookupModel)).items;
  }

  /** The one capture or refund with this `pspReference`, or null. */
  async byPspReference(ledgerId: string, pspReference: string): Promise<SalesEntry | null> {
    return (await this.http.get(salesRoutes.pspReference, { ledgerId, pspReference }, salesLookupModel)).items[0] ?? null;
  }

  /** One page of the ledger's sales feed; at its end the same cursor comes back with no items. */
  async feedPage(ledgerId: string, paging: SalesPaging = {}): Promise<SalesPage> {
    return this.http.get(salesRoutes.feed, { ledgerId }, salesPageModel, { cursor: paging.cursor, pageSize: paging.pageSize });
  }
}

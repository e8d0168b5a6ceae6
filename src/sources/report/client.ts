import { z } from 'zod';
import { ledgerListKey, reportDateKey } from '../cache/keys.ts';
import { followPages } from '../http/pages.ts';
import type { UpstreamHttp } from '../http/http.ts';
import { jsonCodec } from '../cache/read-through.ts';
import { DecodedCache, type UpstreamCache } from '../cache/upstream.ts';
import { PayerReader } from './payers.ts';
import {
  ledgerModel,
  ledgerPageModel,
  reportDatePageModel,
  reportEntryModel,
  reportFeedPageModel,
  topics,
  type Ledger,
  type ReportDatePage,
  type ReportEntry,
  type ReportFeedPage,
  type Topic,
} from './models.ts';

/** Route templates, spelled as the emulator counts them. */
export const reportRoutes = {
  ledgers: '/settlement/v1/ledgers',
  date: '/report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}',
  feed: '/report/v2/ledgers/{ledgerId}/{topic}/feed',
} as const;

/** Every entry of one ledger date and topic, all pages joined. */
export interface ReportDay {
  ledgerId: string;
  topic: Topic;
  date: string;
  /** False while upstream answers `tryLater`: entries can still arrive on this date. */
  isClosed: boolean;
  entries: ReportEntry[];
}

const reportDayModel = z.object({
  ledgerId: z.string(),
  topic: z.enum(topics),
  date: z.string(),
  isClosed: z.boolean(),
  entries: z.array(reportEntryModel),
});
const reportDayCodec = jsonCodec<ReportDay>(reportDayModel);
const ledgerListCodec = jsonCodec<Ledger[]>(z.array(ledgerModel));
/** Enough of a cached date to tell whether it is closed, without reading its entries. */
const closedFlagModel = z.object({ isClosed: z.boolean() });

/** Where the feed mirror has a pspReference's entries (see `src/sync`). */
export interface MirrorLocation {
  /** The ledger dates holding its entries, oldest first. */
  dates: string[];
  /** The newest date the mirror holds: earlier dates are complete in it, this one and later may not be. */
  horizon: string | null;
}

export interface ReportMirror {
  /** Null when the mirror does not cover the ledger (or cannot answer now). */
  locate(ledgerId: string, topic: Topic, pspReferences: readonly string[]): Promise<Map<string, MirrorLocation> | null>;
  /** The same, by order reference. */
  locateReferences(ledgerId: string, topic: Topic, references: readonly string[]): Promise<Map<string, MirrorLocation> | null>;
  /** The entries of those dates the mirror holds whole (closed); null when it does not cover the ledger. */
  reportDates?(ledgerId: string, topic: Topic, dates: readonly string[]): Promise<Map<string, ReportEntry[]> | null>;
}

export interface ReportClientOptions {
  /** Closed dates for good, open dates and the ledger list briefly; without it every read goes upstream. */
  cache?: UpstreamCache | null;
  mirror?: ReportMirror | null;
}

export class ReportClient {
  private readonly cached: UpstreamCache | null;
  private readonly days: DecodedCache<ReportDay> | null;
  private readonly ledgerLists: DecodedCache<Ledger[]> | null;
  /** The feed mirror, where one is kept: the joins ask it where a pspReference's entries are. */
  readonly mirror: ReportMirror | null;
  /** Funds dates with payers' personal data, under cache keys of their own (see `payers.ts`). */
  readonly payers: PayerReader;

  constructor(
    private readonly http: UpstreamHttp,
    options: ReportClientOptions = {},
  ) {
    this.cached = options.cache ?? null;
    this.mirror = options.mirror ?? null;
    this.payers = new PayerReader(http, this.cached, reportRoutes.date);
    this.days = this.cached && new DecodedCache(this.cached, 'report date', reportDayCodec, (day) => day.entries.length);
    this.ledgerLists = this.cached && new DecodedCache(this.cached, 'ledger list', ledgerListCodec, (ledgers) => ledgers.length);
  }

  /** The ledgers granted to the gateway's credentials, optionally only those settling for a handle. */
  async ledgers(recipientHandle?: string): Promise<Ledger[]> {
    const { cached, ledgerLists } = this;
    if (cached === null || ledgerLists === null) return this.fetchLedgers(recipientHandle);
    const key = ledgerListKey(cached.fingerprint, recipientHandle || null);
    return ledgerLists.read(key, () => cached.policy.ledgersTtlSeconds, () => this.fetchLedgers(recipientHandle));
  }

  private async fetchLedgers(recipientHandle: string | undefined): Promise<Ledger[]> {
    const pages = await followPages(
      reportRoutes.ledgers,
      (cursor) =>
        this.http.get(reportRoutes.ledgers, {}, ledgerPageModel, {
          settlesForRecipientHandles: recipientHandle || undefined,
          cursor,
        }),
      // The list ends with an empty (or absent) cursor.
      (page) => page.cursor || null,
    );
    return pages.flatMap((page) => page.items);
  }

  async datePage(ledgerId: string, topic: Topic, date: string, cursor?: string): Promise<ReportDatePage> {
    return this.http.get(reportRoutes.date, { ledgerId, topic, ledgerDate: date }, reportDatePageModel, { cursor });
  }

  /** Every entry of one ledger date and topic: from the cache when it holds the date, else from all upstream pages. */
  async forDate(ledgerId: string, topic: Topic, date: string): Promise<ReportDay> {
    const { cached, days } = this;
    if (cached === null || days === null) return this.fetchDate(ledgerId, topic, date);
    const key = reportDateKey(cached.fingerprint, ledgerId, topic, date);
    const ttl = (day: ReportDay) => (day.isClosed ? null : cached.policy.openDateTtlSeconds);
    return days.read(key, ttl, () => this.fetchDate(ledgerId, topic, date));
  }

  /** Whether the cache holds the date as closed; never asks upstream. */
  async isKnownClosed(ledgerId: string, topic: Topic, date: string): Promise<boolean> {
    const cached = this.cached;
    if (cached === null) return false;
    const key = reportDateKey(cached.fingerprint, ledgerId, topic, date);
    // The date this process holds decoded answers as `forDate` would, without fetching and
    // parsing a whole day of entries from the shared cache for one flag.
    const held = this.days?.peek(key);
    if (held !== undefined) return held.isClosed;
    const raw = await cached.cache.get(key);
    if (raw === null) return false;
    try {
      return closedFlagModel.parse(JSON.parse(raw)).isClosed;
    } catch {
      return false;
    }
  }

  private async fetchDate(ledgerId: string, topic: Topic, date: string): Promise<ReportDay> {
    const pages = await followPages(
      reportRoutes.date,
      (cursor) => this.datePage(ledgerId, topic, date, cursor),
      // `hasMore` with `tryLater` means "page on now", not "wait".
      (page) => (page.hasMore && page.cursor ? page.cursor : null),
    );
    return {
      ledgerId,
      topic,
      date,
      isClosed: pages.every((page) => !page.tryLater),
      entries: pages.flatMap((page) => page.items),
    };
  }

  fundsForDate(ledgerId: string, date: string): Promise<ReportDay> {
    return this.forDate(ledgerId, 'funds', date);
  }

  feesForDate(ledgerId: string, date: string): Promise<ReportDay> {
    return this.forDate(ledgerId, 'fees', date);
  }

  /** One page of the feed; at its end upstream repeats the cursor with `tryLater: true`. */
  async feedPage(ledgerId: string, topic: Topic, cursor?: string): Promise<ReportFeedPage> {
    return this.http.get(reportRoutes.feed, { ledgerId, topic }, reportFeedPageModel, { cursor });
  }
}

import { followPages } from '../pages.ts';
import type { UpstreamHttp } from '../http.ts';
import { fillRoute } from '../paths.ts';
import {
  ledgerPageModel,
  reportDatePageModel,
  reportFeedPageModel,
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

export class ReportClient {
  constructor(private readonly http: UpstreamHttp) {}

  /** The ledgers granted to the gateway's credentials, optionally only those settling for a handle. */
  async ledgers(recipientHandle?: string): Promise<Ledger[]> {
    const pages = await followPages(
      reportRoutes.ledgers,
      (cursor) =>
        this.http.get(reportRoutes.ledgers, reportRoutes.ledgers, ledgerPageModel, {
          settlesForRecipientHandles: recipientHandle || undefined,
          cursor,
        }),
      // The list ends with an empty (or absent) cursor.
      (page) => page.cursor || null,
    );
    return pages.flatMap((page) => page.items);
  }

  async datePage(ledgerId: string, topic: Topic, date: string, cursor?: string): Promise<ReportDatePage> {
    const path = fillRoute(reportRoutes.date, { ledgerId, topic, ledgerDate: date });
    return this.http.get(reportRoutes.date, path, reportDatePageModel, { cursor });
  }

  async forDate(ledgerId: string, topic: Topic, date: string): Promise<ReportDay> {
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
    const path = fillRoute(reportRoutes.feed, { ledgerId, topic });
    return this.http.get(reportRoutes.feed, path, reportFeedPageModel, { cursor });
  }
}

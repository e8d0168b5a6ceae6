import type { ReportClient } from '../sources/report/client.ts';
import type { Topic } from '../sources/report/models.ts';
import type { SalesClient } from '../sources/sales/client.ts';
import type { FeedPage } from './state.ts';

/** One upstream feed, read page by page from a cursor (`null`: from its beginning). */
export interface FeedSource {
  read(cursor: string | null): Promise<FeedPage>;
}

/**
 * A Report feed (`/report/v2/ledgers/{ledgerId}/{topic}/feed`). Its end is `tryLater: true`,
 * possibly with the last entries, and the cursor comes back unchanged once nothing is new.
 */
export function reportFeedSource(report: ReportClient, ledgerId: string, topic: Topic): FeedSource {
  return {
    async read(cursor) {
      const page = await report.feedPage(ledgerId, topic, cursor ?? undefined);
      return {
        cursor: page.cursor,
        atEnd: page.tryLater,
        lastTime: page.items.at(-1)?.time ?? null,
        entries: page.items.map((entry) => ({
          json: JSON.stringify(entry),
          ledgerDate: entry.ledgerDate,
          pspReference: entry.pspReference ?? null,
          reference: entry.reference ?? null,
        })),
      };
    },
  };
}

/**
 * A ledger's Sales feed (`/sales/report/v1/ledgers/{ledgerId}`). Sales entries carry no ledger
 * date, so the mirror indexes them by pspReference and reference only. The end is
 * `hasMore: false`; an empty page repeats the cursor.
 */
export function salesFeedSource(sales: SalesClient, ledgerId: string, pageSize: number): FeedSource {
  return {
    async read(cursor) {
      const page = await sales.feedPage(ledgerId, { cursor: cursor ?? undefined, pageSize });
      return {
        cursor: page.cursor ?? null,
        atEnd: !page.hasMore,
        lastTime: page.items.at(-1)?.time ?? null,
        entries: page.items.map((entry) => ({
          json: JSON.stringify(entry),
          ledgerDate: null,
          pspReference: entry.pspReference,
          reference: entry.reference,
        })),
      };
    },
  };
}

import { z } from 'zod';
import { reportPayersDateKey } from '../cache/keys.ts';
import { jsonCodec } from '../cache/read-through.ts';
import { DecodedCache, type UpstreamCache } from '../cache/upstream.ts';
import type { UpstreamHttp } from '../http/http.ts';
import { followPages } from '../http/pages.ts';
import { reportEntryModel } from './models.ts';

/**
 * Who paid: the payer's name, masked phone number and message that the Report API adds to
 * Vippsnummer captures and refunds when asked with `includeGDPRSensitiveData=true`. Read apart
 * from every other read, kept under keys of its own (`reportPayersDateKey`), and reached only
 * through the loader a caller with the `personal-data` role gets: a cached date of the ordinary
 * reads never holds personal data, so nothing has to be stripped from one.
 */

export const payerEntryModel = reportEntryModel.extend({
  name: z.string().nullish(),
  maskedPhoneNo: z.string().nullish(),
  message: z.string().nullish(),
});

const payerPageModel = z.object({
  items: z.array(payerEntryModel),
  hasMore: z.boolean().default(false),
  cursor: z.string().nullish(),
  tryLater: z.boolean().default(false),
});

export type PayerEntry = z.infer<typeof payerEntryModel>;

/** The funds entries of one ledger date with their payers. */
export interface PayerDay {
  ledgerId: string;
  date: string;
  isClosed: boolean;
  entries: PayerEntry[];
}

const payerDayModel = z.object({ ledgerId: z.string(), date: z.string(), isClosed: z.boolean(), entries: z.array(payerEntryModel) });

/** The query that asks for personal data; the request path never logs the body of such an answer. */
export const personalDataQuery = { includeGDPRSensitiveData: 'true' } as const;

export class PayerReader {
  private readonly days: DecodedCache<PayerDay> | null;

  constructor(
    private readonly http: UpstreamHttp,
    private readonly cached: UpstreamCache | null,
    /** The Report date route template (the client's), so that both count and log as one route. */
    private readonly route: string,
  ) {
    this.days = cached && new DecodedCache(cached, 'payer date', jsonCodec<PayerDay>(payerDayModel), (day) => day.entries.length);
  }

  /** Every funds entry of one ledger date, with payers: from its own cache entry, else from every upstream page. */
  forDate(ledgerId: string, date: string): Promise<PayerDay> {
    const { cached, days } = this;
    if (cached === null || days === null) return this.fetchDate(ledgerId, date);
    const ttl = (day: PayerDay) => (day.isClosed ? null : cached.policy.openDateTtlSeconds);
    return days.read(reportPayersDateKey(cached.fingerprint, ledgerId, date), ttl, () => this.fetchDate(ledgerId, date));
  }

  private async fetchDate(ledgerId: string, date: string): Promise<PayerDay> {
    const pages = await followPages(
      this.route,
      (cursor) => this.http.get(this.route, { ledgerId, topic: 'funds', ledgerDate: date }, payerPageModel, { ...personalDataQuery, cursor }),
      (page) => (page.hasMore && page.cursor ? page.cursor : null),
    );
    return { ledgerId, date, isClosed: pages.every((page) => !page.tryLater), entries: pages.flatMap((page) => page.items) };
  }
}

import { PartnerClient, type RawAnswer } from '../support/partner-client.ts';
import type { LedgerTraits, TestEmulator } from '../support/emulator.ts';
import { reportDatePageModel, reportFeedPageModel, salesPageModel, type ReportEntry, type SalesEntry } from './models.ts';

export * from './models.ts';
export { PartnerClient, requestToken } from '../support/partner-client.ts';
export type { LedgerTraits } from '../support/emulator.ts';

/**
 * Helpers for the emulator suites: raw REST reads as a partner, strict zod models of what the
 * emulator answers, and walkers that page through dates and feeds.
 */

/**
 * An admin route called raw, for what the typed admin client does not show: the status of a
 * refused configuration, and answers compared byte for byte.
 */
export async function adminRequest(url: string, method: string, path: string, body?: unknown): Promise<RawAnswer> {
  const response = await fetch(`${url}/__emulator/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Every ledger some partner may read, with a client of the first partner granted it. */
export async function readableLedgers(emulator: TestEmulator): Promise<Array<{ ledger: LedgerTraits; client: PartnerClient }>> {
  return (await emulator.ledgers()).flatMap((ledger) => {
    const partner = emulator.partners.find((candidate) => ledger.grantedTo.includes(candidate.clientId));
    return partner ? [{ ledger, client: new PartnerClient(emulator.url, partner) }] : [];
  });
}

export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface DateWalk {
  entries: ReportEntry[];
  pages: number;
  tryLater: boolean;
}

/** Every page of one Report date. */
export async function walkReportDate(client: PartnerClient, ledgerId: string, topic: string, date: string, gdpr = false): Promise<DateWalk> {
  const entries: ReportEntry[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const path = withQuery(`/report/v2/ledgers/${ledgerId}/${topic}/dates/${date}`, { cursor, includeGDPRSensitiveData: gdpr ? 'true' : undefined });
    const page = await client.json(path, reportDatePageModel);
    pages += 1;
    entries.push(...page.items);
    if (!page.hasMore) return { entries, pages, tryLater: page.tryLater };
    cursor = page.cursor;
    if (cursor === undefined) throw new Error('hasMore without a cursor');
  }
}

export interface FeedWalk {
  entries: ReportEntry[];
  /** The cursor of the last answer, which had tryLater. */
  cursor: string;
  pages: number;
}

/** The Report feed from a cursor (or the start) until it says tryLater. */
export async function walkReportFeed(client: PartnerClient, ledgerId: string, topic: string, from?: string): Promise<FeedWalk> {
  const entries: ReportEntry[] = [];
  let cursor = from;
  for (let pages = 1; ; pages++) {
    const page = await client.json(withQuery(`/report/v2/ledgers/${ledgerId}/${topic}/feed`, { cursor }), reportFeedPageModel);
    entries.push(...page.items);
    cursor = page.cursor;
    if (page.tryLater) return { entries, cursor, pages };
    if (pages > 10_000) throw new Error('the feed never ends');
  }
}

/** The whole Sales feed of a ledger, in pages of 1000. */
export async function walkSalesFeed(client: PartnerClient, ledgerId: string): Promise<SalesEntry[]> {
  const entries: SalesEntry[] = [];
  for (let cursor: string | undefined; ; ) {
    const page = await client.json(withQuery(`/sales/report/v1/ledgers/${ledgerId}`, { cursor, pageSize: '1000' }), salesPageModel);
    entries.push(...page.items);
    if (!page.hasMore) return entries;
    cursor = page.cursor;
  }
}

/** Every page of one Sales date. */
export async function walkSalesDate(client: PartnerClient, ledgerId: string, date: string, pageSize?: number): Promise<SalesEntry[]> {
  const entries: SalesEntry[] = [];
  let cursor: string | undefined;
  for (;;) {
    const path = withQuery(`/sales/report/v1/ledgers/${ledgerId}/dates/${date}`, { cursor, pageSize: pageSize?.toString() });
    const page = await client.json(path, salesPageModel);
    entries.push(...page.items);
    if (!page.hasMore) return entries;
    cursor = page.cursor;
  }
}

/** Ledger dates from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let day = Date.parse(`${from}T00:00:00Z`); day <= Date.parse(`${to}T00:00:00Z`); day += 86_400_000) {
    dates.push(new Date(day).toISOString().slice(0, 10));
  }
  return dates;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The ledger date of an instant, computed with Intl: an independent check of the emulator's calendar. */
export function ledgerDateByIntl(iso: string, timeZone: string, cutoffHour: number): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(new Date(iso));
  const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return new Date(wall - cutoffHour * 3_600_000).toISOString().slice(0, 10);
}

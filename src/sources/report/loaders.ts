import DataLoader from 'dataloader';
import { asError, groupBy, settleEach } from '../batching.ts';
import type { ReportClient, ReportDay } from './client.ts';
import type { Ledger, ReportEntry, Topic } from './models.ts';

export interface DateKey {
  ledgerId: string;
  topic: Topic;
  date: string;
}

/** A whole report date, indexed for the joins with the Sales API. */
export interface IndexedReportDay extends ReportDay {
  /** Captures have one funds entry but may have several fees entries: always a list. */
  byPspReference: ReadonlyMap<string, readonly ReportEntry[]>;
  byReference: ReadonlyMap<string, readonly ReportEntry[]>;
}

export interface ReportLoaders {
  /** The granted ledgers, keyed by recipient handle (`''` for all of them). */
  ledgers: DataLoader<string, Ledger[]>;
  /** One granted ledger by its id, or null when unknown or not granted (upstream cannot tell which). */
  ledger: DataLoader<string, Ledger | null>;
  /** One fetch of every page per distinct (ledger, topic, date). */
  day: DataLoader<DateKey, IndexedReportDay>;
}

export function dateKeyString(key: DateKey): string {
  return `${key.ledgerId}\u0000${key.topic}\u0000${key.date}`;
}

/** Built per GraphQL request: memoisation lasts as long as the request, never longer. */
export function createReportLoaders(client: ReportClient): ReportLoaders {
  const ledgers = new DataLoader<string, Ledger[]>((handles) => settleEach(handles, (handle) => client.ledgers(handle || undefined)));

  const ledger = new DataLoader<string, Ledger | null>(async (ledgerIds) => {
    // The list endpoint is the only way to see a ledger: one list serves every id of the request.
    const granted = await ledgers.load('').catch(asError);
    if (granted instanceof Error) return ledgerIds.map(() => granted);
    const byId = new Map(granted.map((item) => [item.ledgerId, item]));
    return ledgerIds.map((ledgerId) => byId.get(ledgerId) ?? null);
  });

  const day = new DataLoader<DateKey, IndexedReportDay, string>(
    (keys) => settleEach(keys, async (key) => indexDay(await client.forDate(key.ledgerId, key.topic, key.date))),
    { cacheKeyFn: dateKeyString },
  );

  return { ledgers, ledger, day };
}

export function indexDay(day: ReportDay): IndexedReportDay {
  return {
    ...day,
    byPspReference: groupBy(day.entries, (entry) => entry.pspReference),
    byReference: groupBy(day.entries, (entry) => entry.reference),
  };
}

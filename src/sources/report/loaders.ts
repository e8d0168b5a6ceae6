import DataLoader from 'dataloader';
import { asError, compositeKey, groupBy, openGate, settleAdmitted, settleEach, type ReadGate } from '../batching.ts';
import { reportRoutes, type MirrorLocation, type ReportClient, type ReportDay, type ReportMirror } from './client.ts';
import type { Ledger, ReportEntry, ReportFeedPage, Topic } from './models.ts';
import { createMirrorDayLoader } from './mirror-days.ts';

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

export interface PspReferenceKey {
  ledgerId: string;
  topic: Topic;
  pspReference: string;
}

export interface ReferenceKey {
  ledgerId: string;
  topic: Topic;
  reference: string;
}

export interface FeedPageKey {
  ledgerId: string;
  topic: Topic;
  /** Upstream's cursor; null for the start of the feed. */
  cursor: string | null;
}

export interface ReportLoaders {
  /** Whether a feed mirror tells where entries are (else a sale's are looked for on its own date and the next). */
  mirrored: boolean;
  /** The granted ledgers, keyed by recipient handle (`''` for all of them). */
  ledgers: DataLoader<string, Ledger[]>;
  /** One granted ledger by its id, or null when unknown or not granted (upstream cannot tell which). */
  ledger: DataLoader<string, Ledger | null>;
  /** One fetch of every page per distinct (ledger, topic, date). */
  day: DataLoader<DateKey, IndexedReportDay>;
  /**
   * Where the feed mirror has a pspReference's entries; null where there is no mirror of the
   * ledger. One Redis round trip per ledger and topic for a whole page of sales; no upstream call.
   */
  located: DataLoader<PspReferenceKey, MirrorLocation | null>;
  /** Where the feed mirror has an order reference's entries, as `located` does for a pspReference. */
  locatedReference: DataLoader<ReferenceKey, MirrorLocation | null>;
  /** One page of a ledger's feed, read after `cursor`. */
  feedPage: DataLoader<FeedPageKey, ReportFeedPage>;
  /** A whole closed date from the feed mirror, or null where it does not hold it (see `mirror-days.ts`). */
  mirrorDay: DataLoader<DateKey, IndexedReportDay | null>;
}

const nowhere: Promise<null> = Promise.resolve(null);

/**
 * Without a feed mirror every location is unknown: a page of sales asks once per sale and
 * account, so the answer is given at once instead of through keys, batches and a cache.
 */
class NoMirror<Key, Value, CacheKey> extends DataLoader<Key, Value | null, CacheKey> {
  override load(): Promise<null> {
    return nowhere;
  }
}

/**
 * Built per GraphQL request: memoisation lasts as long as the request, never longer. Every read
 * passes the request's `gate`: a ledger outside the caller's grant is absent from every list
 * and answers "not found" without any cache or upstream read, and distinct reads are charged
 * to the request's budget.
 */
export function createReportLoaders(client: ReportClient, gate: ReadGate = openGate): ReportLoaders {
  // The key set's one ledger list (shared and cached) answers every handle: asking for a
  // handle of a ledger outside the grant, or of none, reads nothing of its own upstream.
  let visible: Promise<Ledger[]> | undefined;
  const visibleLedgers = () => (visible ??= client.ledgers().then((all) => all.filter((item) => gate.allows(item.ledgerId))));
  const ledgers = new DataLoader<string, Ledger[]>((handles) => {
    // A list depends on every visible ledger: one more, one less or one changed changes it.
    gate.lists?.('*');
    return settleEach(handles, async (handle) => {
      const all = await visibleLedgers();
      return handle === '' ? all : all.filter((item) => item.settlesForRecipientHandles.includes(handle));
    });
  });

  const ledger = new DataLoader<string, Ledger | null>(async (ledgerIds) => {
    // Outside the grant: not found, and not even the ledger list is read for it.
    if (!ledgerIds.some((ledgerId) => gate.allows(ledgerId))) return ledgerIds.map(() => null);
    // One ledger's answer depends on its own row only (present or not), not on the rest of the list.
    gate.lists?.(ledgerIds.filter((ledgerId) => gate.allows(ledgerId)));
    // The list endpoint is the only way to see a ledger: one list serves every id of the request.
    const granted = await visibleLedgers().catch(asError);
    if (granted instanceof Error) return ledgerIds.map(() => granted);
    const byId = new Map(granted.map((item) => [item.ledgerId, item]));
    return ledgerIds.map((ledgerId) => (gate.allows(ledgerId) ? (byId.get(ledgerId) ?? null) : null));
  });

  const day = new DataLoader<DateKey, IndexedReportDay, string>(
    (keys) =>
      settleAdmitted(keys, gate, reportRoutes.date, (key) => compositeKey(key.ledgerId, key.topic, key.date), async (key) => {
        const read = await client.forDate(key.ledgerId, key.topic, key.date);
        if (!read.isClosed) gate.lasts?.('changing', 'open report date');
        return indexDay(read);
      }),
    { cacheKeyFn: (key) => compositeKey(key.ledgerId, key.topic, key.date) },
  );

  const located = mirrorLocations<PspReferenceKey>(client, gate, (key) => key.pspReference, (mirror, ledgerId, topic, fields) => mirror.locate(ledgerId, topic, fields));
  const locatedReference = mirrorLocations<ReferenceKey>(client, gate, (key) => key.reference, (mirror, ledgerId, topic, fields) =>
    mirror.locateReferences(ledgerId, topic, fields),
  );

  const feedPage = new DataLoader<FeedPageKey, ReportFeedPage, string>(
    (keys) =>
      settleAdmitted(keys, gate, reportRoutes.feed, (key) => compositeKey(key.ledgerId, key.topic, 'feed', key.cursor ?? ''), (key) => {
        gate.lasts?.('changing', 'report feed');
        return client.feedPage(key.ledgerId, key.topic, key.cursor ?? undefined);
      }),
    { cacheKeyFn: (key) => compositeKey(key.ledgerId, key.topic, key.cursor ?? '') },
  );

  const mirrorDay = createMirrorDayLoader(client, gate);
  return { mirrored: client.mirror !== null, ledgers, ledger, day, located, locatedReference, feedPage, mirrorDay };
}

/**
 * A loader of mirror locations by one field of the entries (pspReference or reference): one Redis
 * round trip per ledger and topic for every key of a batch, and only for ledgers the caller sees.
 */
function mirrorLocations<Key extends { ledgerId: string; topic: Topic }>(
  client: ReportClient,
  gate: ReadGate,
  fieldOf: (key: Key) => string,
  locate: (mirror: ReportMirror, ledgerId: string, topic: Topic, fields: string[]) => Promise<Map<string, MirrorLocation> | null>,
): DataLoader<Key, MirrorLocation | null, string> {
  return new (client.mirror === null ? NoMirror : DataLoader)<Key, MirrorLocation | null, string>(
    async (keys) => {
      const mirror = client.mirror;
      if (mirror === null) return keys.map(() => null);
      const groups = groupBy(keys, (key) => (gate.sees(key.ledgerId) ? compositeKey(key.ledgerId, key.topic) : null));
      const answers = new Map<Key, MirrorLocation | null>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const [first] = group;
          if (first === undefined) return;
          const found = await locate(mirror, first.ledgerId, first.topic, group.map(fieldOf));
          // Where the mirror covers a ledger, a join reads every date it names, and it names more as the feed grows.
          if (found !== null) gate.lasts?.('changing', 'feed mirror');
          for (const key of group) answers.set(key, found?.get(fieldOf(key)) ?? null);
        }),
      );
      return keys.map((key) => answers.get(key) ?? null);
    },
    { cacheKeyFn: (key) => compositeKey(key.ledgerId, key.topic, fieldOf(key)) },
  );
}

/**
 * A cached date is the same decoded object for every request that reads it (the client's local
 * layer), and never changes: its index is built once, not once per request.
 */
const indexed = new WeakMap<ReportDay, IndexedReportDay>();

export function indexDay(day: ReportDay): IndexedReportDay {
  let index = indexed.get(day);
  if (index === undefined) {
    index = {
      ...day,
      byPspReference: groupBy(day.entries, (entry) => entry.pspReference),
      byReference: groupBy(day.entries, (entry) => entry.reference),
    };
    indexed.set(day, index);
  }
  return index;
}

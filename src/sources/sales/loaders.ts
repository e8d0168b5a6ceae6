import DataLoader from 'dataloader';
import { compositeKey, groupBy, openGate, settleAdmitted, type ReadGate } from '../batching.ts';
import { salesRoutes, type SalesClient } from './client.ts';
import type { SalesEntry, SalesPage } from './models.ts';

export interface SalesDateKey {
  ledgerId: string;
  date: string;
}

export interface PspReferenceKey {
  ledgerId: string;
  pspReference: string;
}

export interface ReferenceKey {
  ledgerId: string;
  reference: string;
}

export interface SalesFeedKey {
  ledgerId: string;
  /** Upstream's cursor; null for the start of the feed. */
  cursor: string | null;
  pageSize: number;
}

/** Every sale of one ledger date, indexed for the join from Report entries. */
export interface SalesDay {
  ledgerId: string;
  date: string;
  entries: SalesEntry[];
  /** Cash sales have no pspReference and are left out; a pspReference names one movement. */
  byPspReference: ReadonlyMap<string, SalesEntry>;
}

export interface SalesLoaders {
  day: DataLoader<SalesDateKey, SalesDay>;
  byPspReference: DataLoader<PspReferenceKey, SalesEntry | null>;
  byReference: DataLoader<ReferenceKey, SalesEntry[]>;
  /** One page of a ledger's Sales feed, read after `cursor`. */
  feedPage: DataLoader<SalesFeedKey, SalesPage>;
}

/**
 * Built per GraphQL request: memoisation lasts as long as the request, never longer. Every read
 * passes the request's `gate` (the caller's grant, then its read budget) before any cache or
 * upstream read.
 */
export function createSalesLoaders(client: SalesClient, gate: ReadGate = openGate): SalesLoaders {
  const day = new DataLoader<SalesDateKey, SalesDay, string>(
    (keys) =>
      settleAdmitted(keys, gate, salesRoutes.date, (key) => compositeKey(key.ledgerId, 'sales', key.date), async ({ ledgerId, date }) => {
        const { entries, final } = await client.forDateSettled(ledgerId, date);
        if (!final) gate.lasts?.('changing', 'sales date not known final');
        return { ledgerId, date, entries, byPspReference: indexByPspReference(entries) };
      }),
    { cacheKeyFn: (key) => compositeKey(key.ledgerId, key.date) },
  );

  const byPspReference = new DataLoader<PspReferenceKey, SalesEntry | null, string>(
    async (keys) => {
      // A lookup can find tomorrow what it does not find today.
      gate.lasts?.('changing', 'sales lookup');
      const visible = keys.filter((key) => gate.sees(key.ledgerId));
      const mirrored = await fromMirror(client, visible);
      const readOf = (key: PspReferenceKey) => compositeKey(key.ledgerId, 'psp', key.pspReference);
      return settleAdmitted(keys, gate, salesRoutes.pspReference, readOf, async (key) => mirrored.get(key) ?? client.byPspReference(key.ledgerId, key.pspReference));
    },
    { cacheKeyFn: (key) => compositeKey(key.ledgerId, key.pspReference) },
  );

  const byReference = new DataLoader<ReferenceKey, SalesEntry[], string>(
    (keys) => {
      // An order gains captures and refunds over time.
      gate.lasts?.('changing', 'sales lookup');
      return settleAdmitted(keys, gate, salesRoutes.reference, (key) => compositeKey(key.ledgerId, 'reference', key.reference), (key) => client.byReference(key.ledgerId, key.reference));
    },
    { cacheKeyFn: (key) => compositeKey(key.ledgerId, key.reference) },
  );

  const feedPage = new DataLoader<SalesFeedKey, SalesPage, string>(
    (keys) => {
      gate.lasts?.('changing', 'sales feed');
      return settleAdmitted(keys, gate, salesRoutes.feed, (key) => compositeKey(key.ledgerId, 'sales', 'feed', key.cursor ?? '', String(key.pageSize)), (key) =>
        client.feedPage(key.ledgerId, { cursor: key.cursor ?? undefined, pageSize: key.pageSize }),
      );
    },
    { cacheKeyFn: (key) => compositeKey(key.ledgerId, key.cursor ?? '', String(key.pageSize)) },
  );

  return { day, byPspReference, byReference, feedPage };
}

/** The sales the feed mirror holds, one Redis round trip per ledger; Sales entries never change once written. */
async function fromMirror(client: SalesClient, keys: readonly PspReferenceKey[]): Promise<Map<PspReferenceKey, SalesEntry>> {
  const found = new Map<PspReferenceKey, SalesEntry>();
  const mirror = client.mirror;
  if (mirror === null) return found;
  await Promise.all(
    [...groupBy(keys, (key) => key.ledgerId)].map(async ([ledgerId, group]) => {
      const entries = await mirror.salesByPspReference(ledgerId, group.map((key) => key.pspReference));
      for (const key of group) {
        const entry = entries?.get(key.pspReference);
        if (entry !== undefined) found.set(key, entry);
      }
    }),
  );
  return found;
}

/** A cached date's entries are one array shared by the requests that read it: indexed once. */
const indexes = new WeakMap<readonly SalesEntry[], ReadonlyMap<string, SalesEntry>>();

function indexByPspReference(entries: readonly SalesEntry[]): ReadonlyMap<string, SalesEntry> {
  const known = indexes.get(entries);
  if (known !== undefined) return known;
  const index = new Map<string, SalesEntry>();
  for (const entry of entries) {
    if (entry.pspReference !== null && !index.has(entry.pspReference)) index.set(entry.pspReference, entry);
  }
  indexes.set(entries, index);
  return index;
}

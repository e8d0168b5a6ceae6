import { keyPrefix, type CredentialFingerprint } from '../sources/cache/keys.ts';
import type { Topic } from '../sources/report/models.ts';

/**
 * Where the feed mirror lives in Redis. Like every cache key it starts with the version and the
 * fingerprint of the credential the data was fetched with, so two partners' mirrors of one
 * ledger never meet.
 */

export const feeds = ['funds', 'fees', 'sales'] as const;
export type Feed = (typeof feeds)[number];

export function isReportFeed(feed: Feed): feed is Topic {
  return feed !== 'sales';
}

/** The Redis keys of one mirrored feed (the layout `mirrorFormat` in state.ts names). */
export interface FeedKeys {
  /** JSON: the layout's format, the cursor, the next position and how far the feed was read (see state.ts). */
  state: string;
  /** Hash: a chunk's first position → its entries' JSON lines, compressed together (see chunks.ts). */
  entries: string;
  /** Hash: ledger date → the first positions of its chunks, space-separated. Report feeds only. */
  dates: string;
  /**
   * Hash: pspReference → on Report feeds the ledger dates of its entries, space-separated, each
   * once; on Sales where its first entry is (`chunk.index`, see `salesToken`).
   */
  byPspReference: string;
  /** Hash: reference → the ledger dates of its entries, as above. Report feeds only. */
  byReference: string;
}

/**
 * Every key of one ledger carries the same hash tag, so in a Redis Cluster they share a slot and
 * one script can store a page and move the cursor together.
 */
export function feedKeys(fp: CredentialFingerprint, ledgerId: string, feed: Feed): FeedKeys {
  const base = `${keyPrefix}${fp}:mirror:{${fp}.${encodeURIComponent(ledgerId)}}:${feed}:`;
  return {
    state: `${base}state`,
    entries: `${base}entries`,
    dates: `${base}dates`,
    byPspReference: `${base}psp`,
    byReference: `${base}ref`,
  };
}

/** Set: the ledgers the credential was granted at the last sync; nothing else is served from the mirror. */
export function grantedLedgersKey(fp: CredentialFingerprint): string {
  return `${keyPrefix}${fp}:mirror:granted`;
}

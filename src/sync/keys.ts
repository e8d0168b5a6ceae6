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

/** The Redis keys of one mirrored feed. */
export interface FeedKeys {
  /** JSON: the cursor, the next position and how far the feed was read (see state.ts). */
  state: string;
  /** Hash: position in the feed → the entry as JSON. */
  entries: string;
  /** Hash: ledger date → the positions of its entries as ranges (`"0-811 905-905"`). Report feeds only. */
  dates: string;
  /** Hash: pspReference → its entries' tokens (`position@ledgerDate`, or `position` on Sales), space-separated. */
  byPspReference: string;
  /** Hash: reference → tokens, as above. */
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

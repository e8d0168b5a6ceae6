import type { Logger } from '../logger.ts';
import type { Cache } from './cache.ts';
import type { CredentialFingerprint } from './cache-keys.ts';

/**
 * What the upstream clients keep, and for how long. Closed Report dates and final Sales dates
 * never change and are kept for good; what can still change lives briefly.
 */
export interface CachePolicy {
  /** A Report date upstream still answers with `tryLater`, and a Sales date not known to be final. */
  openDateTtlSeconds: number;
  /** The list of granted ledgers: grants come and go, so it is read again now and then. */
  ledgersTtlSeconds: number;
}

export const defaultCachePolicy: CachePolicy = { openDateTtlSeconds: 30, ledgersTtlSeconds: 60 };

/** A cache as one upstream credential uses it: every key carries the credential's fingerprint. */
export interface UpstreamCache {
  cache: Cache;
  fingerprint: CredentialFingerprint;
  policy: CachePolicy;
  logger?: Logger;
}

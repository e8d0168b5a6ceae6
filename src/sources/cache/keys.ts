import { createHash } from 'node:crypto';
import type { Topic } from '../report/models.ts';

/**
 * Every cache key the gateway writes. Keys start with a version, so a release that changes what
 * is stored moves to new keys instead of reading the old shape; and every key of upstream data
 * carries the fingerprint of the credential it was fetched with, so two partners (or the same
 * partner against two environments) never read each other's entries.
 */
export const keyPrefix = 'rgw:v1:';

export interface UpstreamCredential {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

/** A credential fingerprint: 16 hex digits of a hash, never the secret itself. */
export type CredentialFingerprint = string & { readonly __brand: 'CredentialFingerprint' };

const fingerprintPattern = /^[0-9a-f]{16}$/;

export function credentialFingerprint(credential: UpstreamCredential): CredentialFingerprint {
  // A separator that cannot occur in the parts keeps ("ab", "c") and ("a", "bc") apart.
  const material = [credential.baseUrl, credential.clientId, credential.clientSecret].join('\u0000');
  const hex = createHash('sha256').update(material, 'utf8').digest('hex').slice(0, 16);
  return asFingerprint(hex);
}

function asFingerprint(value: string): CredentialFingerprint {
  if (!fingerprintPattern.test(value)) throw new Error('not a credential fingerprint');
  return value as CredentialFingerprint;
}

/** Segments come from upstream data and callers; encoding keeps a `:` inside one from forging another key. */
function key(fp: CredentialFingerprint, ...segments: string[]): string {
  return `${keyPrefix}${fp}:${segments.map(encodeURIComponent).join(':')}`;
}

/** All entries of one Report API ledger date and topic (every page). */
export function reportDateKey(fp: CredentialFingerprint, ledgerId: string, topic: Topic, date: string): string {
  return key(fp, 'report', ledgerId, topic, date);
}

/**
 * The funds entries of one Report date read with the payers' personal data. Apart from
 * `reportDateKey` on purpose: only callers allowed personal data ever read these.
 */
export function reportPayersDateKey(fp: CredentialFingerprint, ledgerId: string, date: string): string {
  return key(fp, 'report-personal', ledgerId, 'funds', date);
}

/** All Sales API entries of one ledger and sales date (every page). */
export function salesDateKey(fp: CredentialFingerprint, ledgerId: string, date: string): string {
  return key(fp, 'sales', ledgerId, date);
}

/** One whole answer (`src/server/plugins/answer-cache.ts`); `digest` names the document, its variables and the caller. */
export function answerKey(fp: CredentialFingerprint, digest: string): string {
  return key(fp, 'answers', digest);
}

/** The ledgers the credential is granted, optionally narrowed to one recipient handle. */
export function ledgerListKey(fp: CredentialFingerprint, recipientHandle: string | null): string {
  return recipientHandle === null ? key(fp, 'ledgers', 'all') : key(fp, 'ledgers', 'handle', recipientHandle);
}

/**
 * The token and its lock share a hash tag, so on a Redis Cluster they live on one node: the lock
 * and what it guards fail over together. Date keys carry no tag on purpose: spread over every
 * slot, they spread over every master.
 */
function tokenTag(fp: CredentialFingerprint): string {
  return `{${fp}.token}`;
}

/** The shared upstream access token of the credential. */
export function tokenKey(fp: CredentialFingerprint): string {
  return `${keyPrefix}${fp}:${tokenTag(fp)}`;
}

/** Held by the one process that refreshes the token. */
export function tokenLockKey(fp: CredentialFingerprint): string {
  return `${keyPrefix}${fp}:${tokenTag(fp)}:lock`;
}

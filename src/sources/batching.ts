import { UpstreamError } from './http/errors.ts';

/**
 * Shared pieces of the DataLoader batch functions: one result per key in key order, where one
 * key's failure is that key's `Error` and never fails its neighbours.
 */

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** One DataLoader cache key of several parts; the separator cannot occur in ids, dates or references. */
export function compositeKey(...parts: string[]): string {
  return parts.join('\u0000');
}

export function settleEach<Key, Value>(keys: readonly Key[], load: (key: Key) => Promise<Value>): Promise<Array<Value | Error>> {
  return Promise.all(keys.map((key) => load(key).catch(asError)));
}

/** Groups items by a key, skipping items whose key is null, undefined or empty. */
export function groupBy<Item>(items: readonly Item[], keyOf: (item: Item) => string | null | undefined): ReadonlyMap<string, readonly Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (!key) continue;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

/**
 * The caller's grant, checked for every key before any cache or upstream read, so no field,
 * present or future, reads a ledger outside it.
 */
export interface LedgerAccess {
  /** Whether the grant covers the ledger (to filter a list). */
  allows(ledgerId: string): boolean;
  /** The same check for a read of the ledger, noted (with its date, if any) for the audit line. */
  reads(ledgerId: string, date?: string): boolean;
}

export const everyLedger: LedgerAccess = { allows: () => true, reads: () => true };

/** What a ledger outside the grant answers: exactly what upstream answers for an unknown one. */
export function notVisible(route: string): UpstreamError {
  return new UpstreamError('NOT_FOUND', `Upstream found nothing at GET ${route}`, { route: `GET ${route}`, status: 404 });
}

/** `load(key)` for keys the caller may read; the "not found" of an unknown ledger for the others. */
export function settleVisible<Key extends { ledgerId: string; date?: string }, Value>(
  keys: readonly Key[],
  access: LedgerAccess,
  route: string,
  load: (key: Key) => Promise<Value>,
): Promise<Array<Value | Error>> {
  return settleEach(keys, (key) => (access.reads(key.ledgerId, key.date) ? load(key) : Promise.reject(notVisible(route))));
}

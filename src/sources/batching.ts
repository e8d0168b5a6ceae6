import { UpstreamError } from './http/errors.ts';
import type { Lasting } from './lasting.ts';

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
 * What stands between a request's loaders and any cache or upstream read, checked for every
 * key, so no field, present or future, gets past it: the caller's grant, then the request's
 * read budget.
 */
export interface ReadGate {
  /** Whether the grant covers the ledger (to filter a list). */
  allows(ledgerId: string): boolean;
  /**
   * Admits one distinct read of a ledger on a route (`read` names it; `date` is for the audit
   * line), or throws what the caller is told: what upstream answers for an unknown ledger
   * outside the grant (`notVisible`), `ReadBudgetExceededError` past the budget.
   */
  admit(ledgerId: string, route: string, read: string, date?: string): void;
  /** Admits a look at a ledger that reads nothing upstream (the feed mirror): the grant only. */
  sees(ledgerId: string): boolean;
  /** Told how long what a read answered stays true (for the whole-answer cache); nobody listens when left out. */
  lasts?(lasting: Lasting, what: string): void;
  /** Told what of the ledger list a read used: all of it, or the rows of these ledgers (for the whole-answer cache). */
  lists?(ledgerIds: '*' | readonly string[]): void;
}

export const openGate: ReadGate = { allows: () => true, admit: () => {}, sees: () => true };

/** What a ledger outside the grant answers: exactly what upstream answers for an unknown one. */
export function notVisible(route: string): UpstreamError {
  return new UpstreamError('NOT_FOUND', `Upstream found nothing at GET ${route}`, { route: `GET ${route}`, status: 404 });
}

/** `load(key)` for each key the gate admits; what the gate throws for the others. */
export function settleAdmitted<Key extends { ledgerId: string; date?: string }, Value>(
  keys: readonly Key[],
  gate: ReadGate,
  route: string,
  readOf: (key: Key) => string,
  load: (key: Key) => Promise<Value>,
): Promise<Array<Value | Error>> {
  return settleEach(keys, async (key) => {
    gate.admit(key.ledgerId, route, readOf(key), key.date);
    return load(key);
  });
}

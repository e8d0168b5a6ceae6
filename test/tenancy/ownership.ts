import { decodeGlobalID } from '@pothos/plugin-relay';
import { datesFrom } from '../../src/kernel/calendar.ts';
import type { Upstream } from '../../src/sources/index.ts';
import { parseSaleKey } from '../../src/schema/joins/sale-keys.ts';

/**
 * Whose is a value: every ledger id, recipient handle, pspReference and order reference of a
 * ledger, read from upstream's own REST answers (a plain client, no cache, no gateway), so an
 * answer of the gateway can be checked value by value against what its caller owns.
 */

export const categories = ['ledgerIds', 'handles', 'pspReferences', 'references'] as const;
export type Category = (typeof categories)[number];
export type Values = Record<Category, Set<string>>;

export function noValues(): Values {
  return { ledgerIds: new Set(), handles: new Set(), pspReferences: new Set(), references: new Set() };
}

export function unionOf(all: Iterable<Values>): Values {
  const union = noValues();
  for (const values of all) for (const category of categories) for (const value of values[category]) union[category].add(value);
  return union;
}

/** Each ledger's values on the dates, from its Report funds and fees dates and its Sales dates, and the other sales of their orders. */
export async function valuesByLedger(upstream: Upstream, ledgerIds: readonly string[], from: string, to: string): Promise<Map<string, Values>> {
  const granted = await upstream.report.ledgers();
  const byLedger = new Map<string, Values>();
  await Promise.all(
    ledgerIds.map(async (ledgerId) => {
      const values = noValues();
      values.ledgerIds.add(ledgerId);
      for (const handle of granted.find((ledger) => ledger.ledgerId === ledgerId)?.settlesForRecipientHandles ?? []) values.handles.add(handle);
      const keep = (entry: { pspReference?: string | null; reference?: string | null; recipientHandle?: string | null }) => {
        if (entry.pspReference) values.pspReferences.add(entry.pspReference);
        if (entry.reference) values.references.add(entry.reference);
        if (entry.recipientHandle) values.handles.add(entry.recipientHandle);
      };
      for (const date of datesFrom(from, to)) {
        const [funds, fees, sales] = await Promise.all([
          upstream.report.forDate(ledgerId, 'funds', date),
          upstream.report.forDate(ledgerId, 'fees', date),
          upstream.sales.forDate(ledgerId, date),
        ]);
        for (const entry of [...funds.entries, ...fees.entries, ...sales]) keep(entry);
      }
      // An order of the dates captured or refunded in parts on other dates: its other sales are the ledger's too.
      const orders = new Set(values.references);
      for (let cursor: string | undefined; ; ) {
        const page = await upstream.sales.feedPage(ledgerId, { cursor, pageSize: 1000 });
        for (const sale of page.items) if (orders.has(sale.reference)) keep(sale);
        if (!page.hasMore || page.cursor == null) break;
        cursor = page.cursor;
      }
      byLedger.set(ledgerId, values);
    }),
  );
  return byLedger;
}

/**
 * The values an answer shows, by category: every ledger id, handle, pspReference, payout id and
 * order reference, and the ledger inside every global id. A `NotFoundError` only repeats what
 * was asked, so it is left out here (its shape is checked on its own).
 */
export function valuesIn(answer: unknown, into: Values = noValues()): Values {
  if (Array.isArray(answer)) {
    for (const item of answer) valuesIn(item, into);
    return into;
  }
  if (!isRecord(answer) || answer.__typename === 'NotFoundError') return into;
  for (const [field, value] of Object.entries(answer)) {
    if (typeof value === 'string') {
      // Upstream sends an empty reference where there is none (payouts): nobody's value.
      if (value === '') continue;
      if (field === 'ledgerId') into.ledgerIds.add(value);
      if (field === 'recipientHandle') into.handles.add(value);
      if (field === 'pspReference' || field === 'payoutId') into.pspReferences.add(value);
      if (field === 'reference') into.references.add(value);
      if (field === 'id') into.ledgerIds.add(ledgerOfGlobalId(value));
    } else if (field === 'settlesForRecipientHandles' && Array.isArray(value)) {
      for (const handle of value) if (typeof handle === 'string') into.handles.add(handle);
    } else {
      valuesIn(value, into);
    }
  }
  return into;
}

/** An object of a JSON answer (not a list, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The ledger a global id names: a ledger's own id, or the ledger of a sale's key. */
export function ledgerOfGlobalId(id: string): string {
  const { typename, id: local } = decodeGlobalID(id);
  if (typename === 'Ledger') return local;
  const key = typename === 'Sale' ? parseSaleKey(local) : null;
  if (key === null) throw new Error(`not a global id of a ledger or a sale: ${id}`);
  return key[1];
}

/** What an answer shows that is not the caller's, by category; empty when all of it is. */
export function notOwned(shown: Values, own: Values): Partial<Record<Category, string[]>> {
  const stray: Partial<Record<Category, string[]>> = {};
  for (const category of categories) {
    const values = [...shown[category]].filter((value) => !own[category].has(value));
    if (values.length > 0) stray[category] = values;
  }
  return stray;
}

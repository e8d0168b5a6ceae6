import { isDeepStrictEqual } from 'node:util';
import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import type { GraphClient } from '../support/graphql.ts';
import { categories, isRecord, notOwned, valuesIn, type Category, type Values } from './ownership.ts';
import { probe, probeDocument } from './probes.ts';

/**
 * The cross-tenant fuzz: seeded attempts to reach another caller's ledgers through every entry
 * point, with keys that caller's own answers handed out, sent in aliased documents through the
 * replicas in turn, each answer checked against what an unknown key answers and against what
 * its caller owns.
 */

export interface FuzzCaller {
  name: string;
  headers: Record<string, string>;
  /** The ledgers it may see. */
  ledgers: ReadonlySet<string>;
  /** Every value of its ledgers (from upstream's raw answers). */
  own: Values;
}

/** Keys an answer hands out, each with the ledger it belongs to. */
export interface Obtained {
  ledgers: { ledgerId: string; id: string }[];
  sales: { ledgerId: string; id: string; pspReference: string; reference: string }[];
  handles: { ledgerId: string; handle: string }[];
  payouts: { ledgerId: string; payoutId: string }[];
}

export function obtainedFrom(answer: unknown, into: Obtained = { ledgers: [], sales: [], handles: [], payouts: [] }): Obtained {
  if (Array.isArray(answer)) {
    for (const item of answer) obtainedFrom(item, into);
    return into;
  }
  if (!isRecord(answer)) return into;
  const text = (field: string) => {
    const value = answer[field];
    return typeof value === 'string' ? value : null;
  };
  const [ledgerId, id, pspReference, reference, payoutId] = ['ledgerId', 'id', 'pspReference', 'reference', 'payoutId'].map(text);
  const handles = answer.settlesForRecipientHandles;
  if (ledgerId && id && Array.isArray(handles)) {
    into.ledgers.push({ ledgerId, id });
    for (const handle of handles) if (typeof handle === 'string') into.handles.push({ ledgerId, handle });
  }
  if (ledgerId && id && pspReference && reference) into.sales.push({ ledgerId, id, pspReference, reference });
  if (ledgerId && payoutId) into.payouts.push({ ledgerId, payoutId });
  for (const value of Object.values(answer)) obtainedFrom(value, into);
  return into;
}

/** One try at something outside the caller's grant, and the same field with unknown keys in their place. */
export interface Attempt {
  caller: FuzzCaller;
  field: string;
  keys: string[];
  twin: string;
  twinKeys: string[];
}

/** Keys that name nothing anywhere, of every form the entry points take. */
export function unknownKeys(allLedgerIds: ReadonlySet<string>) {
  let ledgerId = 100_000;
  while (allLedgerIds.has(String(ledgerId))) ledgerId += 1;
  const id = String(ledgerId);
  return {
    ledgerId: id,
    pspReference: 'zz-unknown-psp',
    reference: 'zz-unknown-reference',
    handle: 'NO:1',
    ledgerGid: encodeGlobalID('Ledger', id),
    saleGid: encodeGlobalID('Sale', JSON.stringify(['psp', id, 'zz-unknown-psp'])),
  };
}

type Unknown = ReturnType<typeof unknownKeys>;

/** Every key the other callers obtained for ledgers this caller may not see, and every other ledger id and handle. */
export interface ForeignPool {
  ledgerIds: string[];
  handles: string[];
  ledgerGids: string[];
  sales: Obtained['sales'];
  payouts: Obtained['payouts'];
}

export function foreignPool(caller: FuzzCaller, obtainedByOthers: Obtained, everyLedger: { ledgerId: string; recipientHandles: string[] }[]): ForeignPool {
  const foreign = ({ ledgerId }: { ledgerId: string }) => !caller.ledgers.has(ledgerId);
  const others = everyLedger.filter(foreign);
  return {
    ledgerIds: others.map((ledger) => ledger.ledgerId),
    handles: others.flatMap((ledger) => ledger.recipientHandles),
    ledgerGids: obtainedByOthers.ledgers.filter(foreign).map((ledger) => ledger.id),
    sales: obtainedByOthers.sales.filter(foreign),
    payouts: obtainedByOthers.payouts.filter(foreign),
  };
}

const foreignKinds = ['ledger', 'ledgerRanges', 'nodeLedger', 'nodeLedgerRanges', 'nodeSale', 'sale', 'order', 'handle', 'payout'] as const;
/** A foreign key on one of the caller's own ledgers: answered as for an unknown key, after a read of its own ledger. */
const ownLedgerKinds = ['saleOnOwnLedger', 'orderOnOwnLedger'] as const;
type Kind = (typeof foreignKinds)[number] | (typeof ownLedgerKinds)[number];

function pick<T>(list: readonly T[], index: number): T {
  const item = list[index % list.length];
  if (item === undefined) throw new Error('nothing to pick from');
  return item;
}

function attemptOf(caller: FuzzCaller, pool: ForeignPool, unknown: Unknown, kind: Kind, a: number, b: number): Attempt {
  const one = (field: (key: string) => string, key: string, twinKey: string) => ({ caller, field: field(key), keys: [key], twin: field(twinKey), twinKeys: [twinKey] });
  const two = (field: (first: string, second: string) => string, keys: [string, string], twinKeys: [string, string]) => ({
    caller,
    field: field(...keys),
    keys,
    twin: field(...twinKeys),
    twinKeys,
  });
  const sale = pick(pool.sales, a);
  const ownLedger = pick([...caller.ledgers], b);
  switch (kind) {
    case 'ledger':
      return one(probe.ledger, pick(pool.ledgerIds, a), unknown.ledgerId);
    case 'ledgerRanges':
      return one(probe.ledgerRanges, pick(pool.ledgerIds, a), unknown.ledgerId);
    case 'nodeLedger':
      return one(probe.node, pick(pool.ledgerGids, a), unknown.ledgerGid);
    case 'nodeLedgerRanges':
      return one(probe.nodeRanges, pick(pool.ledgerGids, a), unknown.ledgerGid);
    case 'nodeSale':
      return one(probe.node, sale.id, unknown.saleGid);
    case 'sale':
      return two(probe.sale, [sale.ledgerId, sale.pspReference], [unknown.ledgerId, unknown.pspReference]);
    case 'order':
      return two(probe.order, [sale.ledgerId, sale.reference], [unknown.ledgerId, unknown.reference]);
    case 'handle':
      return one(probe.handle, pick(pool.handles, a), unknown.handle);
    case 'payout': {
      const payout = pick(pool.payouts, a);
      return two(probe.payout, [payout.ledgerId, payout.payoutId], [unknown.ledgerId, `${unknown.ledgerId}-1`]);
    }
    case 'saleOnOwnLedger':
      return one((psp) => probe.sale(ownLedger, psp), sale.pspReference, unknown.pspReference);
    case 'orderOnOwnLedger':
      return one((reference) => probe.order(ownLedger, reference), sale.reference, unknown.reference);
  }
}

/** `count` seeded attempts of a caller; with `onOwnLedgers`, foreign keys on its own ledgers too. */
export function attemptsOf(caller: FuzzCaller, pool: ForeignPool, unknown: Unknown, count: number, seed: number, onOwnLedgers: boolean): Attempt[] {
  const kinds: readonly Kind[] = onOwnLedgers ? [...foreignKinds, ...ownLedgerKinds] : foreignKinds;
  const picks = fc.sample(fc.record({ kind: fc.constantFrom(...kinds), a: fc.nat(), b: fc.nat() }), { seed, numRuns: count });
  return picks.map(({ kind, a, b }) => attemptOf(caller, pool, unknown, kind, a, b));
}

/** The GraphQL aliases per document (the gateway's default limit is 50) and the fields they may spread into. */
const maxAliases = 45;
const maxWeight = 1_500;
const weightOf = (field: string) => (field.includes('...LedgerRanges') ? 50 : 12);

/** Fields cut into documents under the alias and field limits, in order. */
export function documentsOf<Field extends { field: string }>(fields: readonly Field[]): Field[][] {
  const documents: Field[][] = [];
  let current: Field[] = [];
  let weight = 0;
  for (const field of fields) {
    if (current.length === maxAliases || weight + weightOf(field.field) > maxWeight) {
      documents.push(current);
      current = [];
      weight = 0;
    }
    current.push(field);
    weight += weightOf(field.field);
  }
  if (current.length > 0) documents.push(current);
  return documents;
}

/** An answer with the given keys written as placeholders, for comparing a foreign answer with an unknown one. */
function normalised(answer: unknown, keys: readonly string[]): string {
  let text = JSON.stringify(answer);
  keys.forEach((key, index) => {
    text = text.split(JSON.stringify(key).slice(1, -1)).join(`<key ${index}>`);
  });
  return text;
}

export interface Findings {
  documents: number;
  attempts: number;
  /** Ledger ids, handles, pspReferences and references the answers showed (distinct per answered field). */
  valuesChecked: number;
  /** Values outside the caller's own, per category, a few examples each. */
  foreignValues: Partial<Record<Category, string[]>>;
  /** Attempts answered otherwise than an unknown key is. */
  unlikeUnknown: { field: string; answer: string; unknown: string }[];
  /** Own fields answered otherwise than when the owner asked alone. */
  unlikeOwn: { field: string; answer: string; expected: string }[];
  /** Documents answered with errors or a status other than 200. */
  failed: { status: number; errors: string }[];
}

export function noFindings(): Findings {
  return { documents: 0, attempts: 0, valuesChecked: 0, foreignValues: {}, unlikeUnknown: [], unlikeOwn: [], failed: [] };
}

/** A field of a fuzz document: an attempt, or one of the caller's own fields with the answer the owner had. */
export type FuzzField = { attempt: Attempt } | { own: { field: string; expected: unknown } };

const fieldText = (item: FuzzField) => ('attempt' in item ? item.attempt.field : item.own.field);

/**
 * Sends one document of a caller's fields and checks every alias: nothing outside the caller's
 * own values, attempts answered exactly as their unknown twins, own fields as before.
 */
export async function sendAndCheck(
  client: GraphClient,
  caller: FuzzCaller,
  items: readonly FuzzField[],
  twins: ReadonlyMap<string, unknown>,
  findings: Findings,
): Promise<void> {
  const fields = items.map((item) => ({ field: fieldText(item) }));
  const response = await client.request<Record<string, unknown>>(probeDocument(fields.map(({ field }) => field)), {}, caller.headers);
  findings.documents += 1;
  if (response.status !== 200 || response.errors.length > 0 || response.data === null) {
    findings.failed.push({ status: response.status, errors: JSON.stringify(response.errors).slice(0, 2_000) });
    return;
  }
  items.forEach((item, index) => {
    const answer = response.data?.[`a${index}`];
    const shown = valuesIn(answer);
    findings.valuesChecked += Object.values(shown).reduce((sum, values) => sum + values.size, 0);
    const stray = notOwned(shown, caller.own);
    for (const category of categories) {
      const values = stray[category];
      if (values !== undefined) findings.foreignValues[category] = [...(findings.foreignValues[category] ?? []), ...values].slice(0, 5);
    }
    if ('own' in item) {
      if (!isDeepStrictEqual(answer, item.own.expected)) {
        findings.unlikeOwn.push({ field: item.own.field, answer: JSON.stringify(answer), expected: JSON.stringify(item.own.expected) });
      }
      return;
    }
    const { attempt } = item;
    findings.attempts += 1;
    const unknown = normalised(twins.get(attempt.twin), attempt.twinKeys);
    const got = normalised(answer, attempt.keys);
    if (got !== unknown) findings.unlikeUnknown.push({ field: attempt.field, answer: got, unknown });
  });
}

/** Runs the tasks with at most `limit` of them at once. */
export async function inTurns<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const index = next++;
        const task = tasks[index];
        if (task !== undefined) results[index] = await task();
      }
    }),
  );
  return results;
}

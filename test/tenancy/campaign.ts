import { expect } from 'vitest';
import type { EmulatorAdmin, EmulatorStats } from '../../src/emulator/admin-client.ts';
import type { GraphClient } from '../support/graphql.ts';
import {
  attemptsOf,
  documentsOf,
  foreignPool,
  inTurns,
  noFindings,
  obtainedFrom,
  sendAndCheck,
  unknownKeys,
  type Attempt,
  type Findings,
  type FuzzCaller,
  type FuzzField,
  type Obtained,
} from './fuzz.ts';
import { probe, probeDocument } from './probes.ts';

/**
 * The fuzz as a campaign in three acts: the owners warm every cache layer of both replicas with
 * their own fields (and hand out keys); documents of foreign keys alone, counted against
 * upstream calls; documents mixing foreign keys with the caller's own fields and ledgers.
 */

export interface Campaign {
  clients: readonly GraphClient[];
  admin: EmulatorAdmin;
  callers: readonly FuzzCaller[];
  everyLedger: { ledgerId: string; recipientHandles: string[] }[];
  seed: number;
  /** Attempts per caller in documents of foreign keys alone, and in mixed documents. */
  foreignOnly: number;
  mixed: number;
  /** Documents in flight at once. */
  inFlight: number;
}

export interface CampaignReport {
  findings: Findings;
  foreignOnlyAttempts: number;
  /** Upstream calls while the foreign-only documents (and their unknown twins) were answered, and the mixed ones. */
  foreignOnlyCalls: EmulatorStats;
  mixedCalls: EmulatorStats;
}

/** Sends a document to one replica, then the other: the answers must agree, and hold no error. */
async function askBoth(clients: readonly GraphClient[], caller: FuzzCaller, fields: readonly string[]): Promise<Record<string, unknown>> {
  const answers = [];
  for (const client of clients) answers.push(await client.request<Record<string, unknown>>(probeDocument(fields), {}, caller.headers));
  for (const answer of answers) expect({ status: answer.status, errors: answer.errors }).toEqual({ status: 200, errors: [] });
  const [first, ...others] = answers.map((answer) => answer.data ?? {});
  for (const other of others) expect(other).toEqual(first);
  return first ?? {};
}

/** Each field once, in documents under the limits; the answers by field. */
async function answersOf(clients: readonly GraphClient[], caller: FuzzCaller, fields: readonly string[], into = new Map<string, unknown>()): Promise<Map<string, unknown>> {
  const asked = [...new Set(fields)].filter((field) => !into.has(field));
  for (const document of documentsOf(asked.map((field) => ({ field })))) {
    const data = await askBoth(clients, caller, document.map(({ field }) => field));
    document.forEach(({ field }, alias) => into.set(field, data[`a${alias}`]));
  }
  return into;
}

/** The owner's own fields through both replicas, each with the answer it had, and the keys they handed out. */
async function warm(clients: readonly GraphClient[], caller: FuzzCaller): Promise<{ obtained: Obtained; own: Map<string, unknown> }> {
  const ledgers = [...caller.ledgers];
  const own = await answersOf(clients, caller, [probe.list(), ...ledgers.map(probe.ledger), ...ledgers.map(probe.ledgerRanges)]);
  // Counted and listed: exactly its own ledgers.
  const listed = own.get(probe.list());
  expect(listed).toMatchObject({ totalCount: caller.ledgers.size });
  expect(new Set(obtainedFrom(listed).ledgers.map((ledger) => ledger.ledgerId))).toEqual(caller.ledgers);
  const obtained = obtainedFrom([...own.values()]);
  await answersOf(
    clients,
    caller,
    [
      ...obtained.handles.map(({ handle }) => probe.handle(handle)),
      ...obtained.ledgers.map(({ id }) => probe.node(id)),
      ...obtained.ledgers.slice(0, 2).map(({ id }) => probe.nodeRanges(id)),
      ...obtained.sales.slice(0, 4).flatMap((sale) => [probe.node(sale.id), probe.sale(sale.ledgerId, sale.pspReference), probe.order(sale.ledgerId, sale.reference)]),
    ],
    own,
  );
  return { obtained, own };
}

function merged(all: readonly Obtained[]): Obtained {
  return {
    ledgers: all.flatMap((one) => one.ledgers),
    sales: all.flatMap((one) => one.sales),
    handles: all.flatMap((one) => one.handles),
    payouts: all.flatMap((one) => one.payouts),
  };
}

export async function runCampaign(campaign: Campaign): Promise<CampaignReport> {
  const { clients, admin, callers } = campaign;
  // Callers one after another: the owners of a shared ledger warm it in turn, not both cold at once.
  const warmed: Awaited<ReturnType<typeof warm>>[] = [];
  for (const caller of callers) warmed.push(await warm(clients, caller));

  const unknown = unknownKeys(new Set(campaign.everyLedger.map((ledger) => ledger.ledgerId)));
  const attempts = callers.map((caller, index) => {
    const obtainedByOthers = merged(warmed.filter((_, other) => other !== index).map(({ obtained }) => obtained));
    const pool = foreignPool(caller, obtainedByOthers, campaign.everyLedger);
    return {
      foreignOnly: attemptsOf(caller, pool, unknown, campaign.foreignOnly, campaign.seed + index, false),
      mixed: attemptsOf(caller, pool, unknown, campaign.mixed, campaign.seed + 100 + index, true),
    };
  });
  const twins = callers.map(() => new Map<string, unknown>());
  const askTwins = (of: (index: number) => readonly Attempt[]) =>
    Promise.all(callers.map((caller, index) => answersOf(clients, caller, of(index).map((attempt) => attempt.twin), twins[index])));
  const findings = noFindings();
  let turn = 0;
  const send = (index: number, items: readonly FuzzField[]) => () =>
    sendAndCheck(clients[turn++ % clients.length] ?? clients[0]!, callers[index]!, items, twins[index]!, findings);

  // Foreign keys alone, the unknown keys they must look like included: not one upstream call.
  await admin.resetStats();
  await askTwins((index) => attempts[index]!.foreignOnly);
  await inTurns(
    attempts.flatMap(({ foreignOnly }, index) => documentsOf(foreignOnly.map((attempt) => ({ attempt, field: attempt.field }))).map((items) => send(index, items))),
    campaign.inFlight,
  );
  const foreignOnlyCalls = await admin.stats();
  const foreignOnlyAttempts = findings.attempts;

  // Foreign keys among the caller's own fields (every third), and on its own ledgers.
  await admin.resetStats();
  await askTwins((index) => attempts[index]!.mixed);
  await inTurns(
    attempts.flatMap(({ mixed }, index) => {
      const own = [...warmed[index]!.own].map(([field, expected]) => ({ own: { field, expected }, field }));
      const items = mixed.flatMap((attempt, at) => {
        const item = { attempt, field: attempt.field };
        return at % 3 === 0 ? [item, own[(at / 3) % own.length]!] : [item];
      });
      return documentsOf(items).map((document) => send(index, document));
    }),
    campaign.inFlight,
  );
  return { findings, foreignOnlyAttempts, foreignOnlyCalls, mixedCalls: await admin.stats() };
}

import { afterAll, beforeAll } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.ts';
import { startEmulator, type DemoPartner, type RunningEmulator } from '../../src/emulator/index.ts';
import { silentLogger } from '../../src/logger.ts';
import { createGateway, type Gateway } from '../../src/server/gateway.ts';
import { MemoryCache } from '../../src/sources/cache/memory.ts';
import { createUpstream, type Upstream } from '../../src/sources/index.ts';
import { ledgerTraitsModel } from '../emulator/models.ts';
import { answerModel } from '../support/graphql.ts';
import { RawLedgers } from './raw.ts';

/**
 * An emulator on a loopback port, gateways in front of it called through `yoga.fetch`, and a
 * hand-made REST reader of the same emulator for the expected figures.
 */

/** 65 closed ledger dates of Vippsnummer history (from 2026-03-16) and more of mPOS behind this clock. */
export const booksNow = '2026-05-20T12:00:00Z';

export type LedgerTraits = z.infer<typeof ledgerTraitsModel>['ledgers'][number];
export type Answer = z.infer<typeof answerModel> & { status: number };

export interface GatewayUnderTest {
  /** The `data` of an answer without errors, parsed with `model`; throws with the whole answer otherwise. */
  query<T>(model: z.ZodType<T>, document: string, variables?: Record<string, unknown>): Promise<T>;
  answer(document: string, variables?: Record<string, unknown>): Promise<Answer>;
}

export interface BooksHarness {
  emulator: RunningEmulator;
  partner: DemoPartner;
  raw: RawLedgers;
  /** The demo partner's ledgers, with their traits. */
  ledgers(): Promise<LedgerTraits[]>;
  /** The first of them that `pick` accepts; an error when there is none. */
  ledger(pick: (ledger: LedgerTraits) => boolean): Promise<LedgerTraits>;
  /** A new gateway with its own upstream client; with `cache`, an in-memory cache of closed dates. */
  gateway(options?: { cache?: boolean; env?: NodeJS.ProcessEnv }): GatewayUnderTest;
  /** Upstream calls since the last reset, per route template. */
  stats(): Promise<Record<string, number>>;
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

export async function startBooksHarness(options: { now?: string; seed?: string } = {}): Promise<BooksHarness> {
  const emulator = await startEmulator({ port: 0, now: options.now ?? booksNow, ...(options.seed ? { seed: options.seed } : {}) });
  const partner = emulator.partners[0];
  if (partner === undefined) throw new Error('the emulator has no demo partner');
  const open: Array<{ gateway: Gateway; upstream: Upstream }> = [];
  const admin = async (method: string, path: string): Promise<unknown> => {
    const response = await fetch(`${emulator.url}/__emulator/${path}`, { method });
    const text = await response.text();
    return text === '' ? null : JSON.parse(text);
  };
  const ledgers = async () =>
    ledgerTraitsModel.parse(await admin('GET', 'ledgers')).ledgers.filter((ledger) => ledger.grantedTo.includes(partner.clientId));
  return {
    emulator,
    partner,
    raw: new RawLedgers(emulator.url, partner),
    ledgers,
    async ledger(pick) {
      const found = (await ledgers()).find(pick);
      if (found === undefined) throw new Error('the emulator should have such a ledger granted to its demo partner');
      return found;
    },
    gateway(gatewayOptions = {}) {
      const upstream = createUpstream(
        {
          baseUrl: emulator.url,
          credentials: { clientId: partner.clientId, clientSecret: partner.clientSecret },
          systemName: 'bookkeeping-tests',
          systemVersion: '1',
        },
        gatewayOptions.cache ? { cache: new MemoryCache({ maxBytes: 512 * 1024 * 1024 }) } : {},
      );
      const gateway = createGateway(loadConfig(gatewayOptions.env ?? {}), { upstream, logger: silentLogger });
      open.push({ gateway, upstream });
      const answer = async (document: string, variables: Record<string, unknown> = {}): Promise<Answer> => {
        const response = await gateway.yoga.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
          body: JSON.stringify({ query: document, variables }),
        });
        return { status: response.status, ...answerModel.parse(await response.json()) };
      };
      return {
        answer,
        async query(model, document, variables) {
          const result = await answer(document, variables);
          if (result.status !== 200 || result.errors !== undefined) {
            throw new Error(`GraphQL answer with errors (HTTP ${result.status}): ${JSON.stringify(result.errors ?? result.data)}`);
          }
          return model.parse(result.data);
        },
      };
    },
    async stats() {
      return z.object({ routes: z.record(z.string(), z.number()) }).parse(await admin('GET', 'stats')).routes;
    },
    async resetStats() {
      await admin('POST', 'stats/reset');
    },
    async close() {
      await Promise.all(open.map(async ({ gateway, upstream }) => {
        await gateway.close();
        await upstream.close();
      }));
      await emulator.close();
    },
  };
}

/** A harness for the enclosing suite, started before its tests and closed after them. */
export function useBooksHarness(options: { now?: string; seed?: string } = {}): () => BooksHarness {
  let harness: BooksHarness | undefined;
  beforeAll(async () => {
    harness = await startBooksHarness(options);
  });
  afterAll(() => harness?.close());
  return () => {
    if (harness === undefined) throw new Error('the harness starts in beforeAll: use it inside a test or hook');
    return harness;
  };
}

/** Dates cut into ranges of at most 31, with the variables `from0`, `to0`, `from1`, … of aliased range fields. */
export function rangesOf(dates: readonly string[]): { ranges: string[][]; variables: Record<string, string> } {
  const ranges: string[][] = [];
  for (let start = 0; start < dates.length; start += 31) ranges.push(dates.slice(start, start + 31));
  const variables = Object.fromEntries(
    ranges.flatMap((range, index) => [
      [`from${index}`, range[0] ?? ''],
      [`to${index}`, range[range.length - 1] ?? ''],
    ]),
  );
  return { ranges, variables };
}

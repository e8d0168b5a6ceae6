import { afterAll, beforeAll } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/logger.ts';
import { createGateway, type Gateway } from '../../src/server/gateway.ts';
import { RedisCache } from '../../src/sources/cache/redis.ts';
import { createUpstream, type CachePolicy, type Upstream } from '../../src/sources/index.ts';
import { MirrorReader } from '../../src/sync/reader.ts';
import type { RedisConnection } from '../../src/sources/redis/connection.ts';
import { startHarness, type EmulatorHarness } from '../sources/emulator.ts';
import { answerModel, postGraphql } from '../support/graphql.ts';
import type { TestRedis } from '../support/redis.ts';

/**
 * Gateway replicas over Redis for the caching and mirror suites: each replica has its own
 * upstream client (pool, token provider) and its own Redis connection, as separate processes
 * would, and is called through `yoga.fetch` without opening a port.
 */

export interface ReplicaOptions {
  partnerIndex?: number;
  policy?: Partial<CachePolicy>;
  /** Reads the feed mirror through this connection; without it the joins guess dates. */
  mirror?: RedisConnection;
  /** Redis command timeout; generous unless a test is about a dead Redis. */
  commandTimeoutMs?: number;
}

export interface Replica {
  gateway: Gateway;
  upstream: Upstream;
  /** Null for a replica that keeps nothing (a baseline for counting upstream calls). */
  cache: RedisCache | null;
  /** The `data` of an answer without errors, parsed with `model`; throws with the whole answer otherwise. */
  query<T>(model: z.ZodType<T>, document: string, variables?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export async function startReplica(harness: EmulatorHarness, redisUrl: string | null, options: ReplicaOptions = {}): Promise<Replica> {
  const partner = harness.emulator.partners[options.partnerIndex ?? 0];
  if (partner === undefined) throw new Error(`the emulator has no partner ${options.partnerIndex}`);
  const cache = redisUrl === null ? null : new RedisCache({ url: redisUrl, logger: silentLogger, commandTimeoutMs: options.commandTimeoutMs ?? 1_000 });
  if (cache !== null && !(await cache.waitUntilReady(5_000))) throw new Error('the test Redis did not answer');
  const mirror = options.mirror;
  const upstream = createUpstream(
    {
      baseUrl: harness.emulator.url,
      credentials: { clientId: partner.clientId, clientSecret: partner.clientSecret },
      systemName: 'caching-tests',
      systemVersion: '1',
    },
    { cache, ...(options.policy ? { policy: options.policy } : {}), mirror: mirror ? (fp) => new MirrorReader(mirror, fp) : null },
  );
  const gateway = createGateway(loadConfig({}), { upstream, ...(cache === null ? {} : { cache }), logger: silentLogger });
  return {
    gateway,
    upstream,
    cache,
    async query(model, document, variables = {}) {
      const response = await postGraphql(gateway, document, variables);
      const text = await response.text();
      const answer = answerModel.parse(JSON.parse(text));
      if (response.status !== 200 || answer.errors !== undefined) throw new Error(`GraphQL answer with errors (HTTP ${response.status}): ${text}`);
      return model.parse(answer.data);
    },
    async close() {
      await gateway.close();
      await upstream.close();
      await cache?.close();
    },
  };
}

export interface ReplicaSuite {
  readonly harness: EmulatorHarness;
  /** A new replica on the suite's Redis, closed after the suite. */
  replica(options?: ReplicaOptions): Promise<Replica>;
}

/** An emulator and replicas on `redis` for the enclosing suite. */
export function useReplicas(redis: TestRedis): ReplicaSuite {
  let harness: EmulatorHarness | undefined;
  const replicas: Replica[] = [];
  const started = () => {
    if (harness === undefined) throw new Error('the emulator starts in beforeAll: use it inside a test or hook');
    return harness;
  };
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await harness?.close();
  });
  return {
    get harness() {
      return started();
    },
    async replica(options) {
      const replica = await startReplica(started(), redis.url, options);
      replicas.push(replica);
      return replica;
    },
  };
}

/** The Redis cache of a replica started with one. */
export function cacheOf(replica: Replica): RedisCache {
  if (replica.cache === null) throw new Error('this replica was started without a cache');
  return replica.cache;
}

/** One ledger day as a partner portal shows it: the sales, their lines, captures, fees and settlement. */
export const ledgerDayQuery = /* GraphQL */ `
  query LedgerDay($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        sales(date: $date, first: 1000) {
          totalCount
          edges {
            node {
              pspReference
              reference
              gross { minorUnits }
              orderLines { name lineTotalGross { minorUnits } }
              captures { ledgerDate amount { minorUnits } }
              fees { ledgerDate amount { minorUnits } }
              settlement { status ledgerDate }
            }
          }
        }
      }
    }
  }
`;

const movementModel = z.object({ ledgerDate: z.string(), amount: z.object({ minorUnits: z.number() }) });

export const ledgerDayModel = z.object({
  ledger: z.object({
    __typename: z.literal('Ledger'),
    sales: z.object({
      totalCount: z.number(),
      edges: z.array(
        z.object({
          node: z.object({
            pspReference: z.string().nullable(),
            reference: z.string(),
            gross: z.object({ minorUnits: z.number() }).nullable(),
            orderLines: z.array(z.object({ name: z.string(), lineTotalGross: z.object({ minorUnits: z.number() }).nullable() })),
            captures: z.array(movementModel).nullable(),
            fees: z.array(movementModel).nullable(),
            settlement: z.object({ status: z.string(), ledgerDate: z.string().nullable() }).nullable(),
          }),
        }),
      ),
    }),
  }),
});
export type LedgerDay = z.infer<typeof ledgerDayModel>;

/** Upstream calls of every route but the token's: the token is counted apart where it matters. */
export function dataCalls(stats: { routes: Record<string, number> }): number {
  return Object.entries(stats.routes)
    .filter(([route]) => !route.startsWith('POST /miami'))
    .reduce((sum, [, count]) => sum + count, 0);
}

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CircuitState } from '../sources/http/resilience/circuit-breaker.ts';
import type { AttemptEnd, CacheObserver, ResilienceView, UpstreamObserver } from '../sources/observer.ts';

/**
 * The gateway's own Prometheus metrics, on a registry of this runtime (the GraphQL ones are the
 * Yoga plugin's, on the same registry). Every label value comes from a bounded set: route
 * templates, statuses, outcomes, layers, feeds, key sets and tenants the operator configured.
 * Never a ledger id, a reference or a raw path.
 */

/** What a scrape reads from the feed mirror (see `sync/lag.ts`). */
export interface MirrorLag {
  feed: string;
  /** Entries stored across every ledger. */
  entries: number;
  /** The most seconds any ledger's feed is behind its end; null when none has been read yet. */
  lagSeconds: number | null;
  /** Ledgers whose feed is read to its end, still on its first walk, or not started. */
  feeds: { atEnd: number; catchingUp: number; notStarted: number };
}

export type TrafficOutcome = 'ok' | 'partial' | 'failed' | 'refused' | 'stream';

const circuitLevel: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Seconds: from a warm cache read of a few milliseconds to an upstream that takes its time. */
const upstreamBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The outcome label of an attempt. */
export function attemptOutcome(end: AttemptEnd): 'ok' | 'retried' | 'timed_out' | 'failed' {
  if (end.retried) return 'retried';
  if (end.failure === 'UPSTREAM_TIMEOUT') return 'timed_out';
  return end.status !== null && end.status >= 200 && end.status < 300 ? 'ok' : 'failed';
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #upstreamRequests: Counter<'key_set' | 'route' | 'status' | 'outcome'>;
  readonly #fetchDuration: Histogram<'url' | 'method' | 'statusCode'>;
  readonly #breakerRefused: Counter<'key_set' | 'route'>;
  readonly #tokenFetches: Counter<'key_set' | 'outcome'>;
  readonly #cacheLookups: Counter<'layer' | 'kind' | 'result'>;
  readonly #tenantRequests: Counter<'tenant' | 'outcome'>;
  readonly #tenantUpstreamCalls: Counter<'tenant'>;
  readonly #tenantRateLimited: Counter<'tenant' | 'limit'>;
  readonly #resilience = new Map<string, ResilienceView>();
  #redis: { mode: 'single' | 'cluster'; isUp: () => boolean } | null = null;
  #mirror: (() => Promise<MirrorLag[]>) | null = null;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#upstreamRequests = new Counter({
      name: 'rgw_upstream_requests_total',
      help: 'Requests sent upstream, every attempt counted: by key set, route template, HTTP status (none without an answer) and outcome (ok, retried, timed_out, failed)',
      labelNames: ['key_set', 'route', 'status', 'outcome'],
      registers,
    });
    // Hive Gateway's name and labels for outgoing requests; `url` is the route template, never a path.
    this.#fetchDuration = new Histogram({
      name: 'graphql_gateway_fetch_duration',
      help: 'Seconds each upstream attempt took, by route template (url), method and HTTP status',
      labelNames: ['url', 'method', 'statusCode'],
      buckets: upstreamBuckets,
      registers,
    });
    this.#breakerRefused = new Counter({
      name: 'rgw_upstream_breaker_refused_total',
      help: 'Upstream calls not sent because the route family circuit was open',
      labelNames: ['key_set', 'route'],
      registers,
    });
    this.#tokenFetches = new Counter({
      name: 'rgw_upstream_token_fetches_total',
      help: 'Tokens this process asked the token endpoint for (not read from the shared store), by outcome',
      labelNames: ['key_set', 'outcome'],
      registers,
    });
    const retryGauge: Gauge<'key_set'> = new Gauge({
      name: 'rgw_upstream_retry_budget_remaining',
      help: 'Retries the retry budget allows right now, per key set',
      labelNames: ['key_set'],
      registers,
      collect: () => {
        for (const [keySet, view] of this.#resilience) retryGauge.set({ key_set: keySet }, Math.floor(view.retryBudgetLeft()));
      },
    });
    const circuitGauge: Gauge<'key_set' | 'route'> = new Gauge({
      name: 'rgw_upstream_circuit_state',
      help: 'Circuit of each upstream route family: 0 closed, 1 half-open (one probe), 2 open (failing fast)',
      labelNames: ['key_set', 'route'],
      registers,
      collect: () => {
        for (const [keySet, view] of this.#resilience) {
          for (const [route, state] of view.circuits()) circuitGauge.set({ key_set: keySet, route }, circuitLevel[state]);
        }
      },
    });
    this.#cacheLookups = new Counter({
      name: 'rgw_cache_lookups_total',
      help: 'Cache lookups by layer (local: decoded values in this process; redis or memory: the shared cache; answer: reserved for cached answers), value kind and result (hit, miss)',
      labelNames: ['layer', 'kind', 'result'],
      registers,
    });
    const redisGauge: Gauge<'mode'> = new Gauge({
      name: 'rgw_redis_up',
      help: '1 while Redis answers (commands go through), 0 while it does not (every read is a miss); mode single or cluster; absent without Redis',
      labelNames: ['mode'],
      registers,
      collect: () => {
        if (this.#redis !== null) redisGauge.set({ mode: this.#redis.mode }, this.#redis.isUp() ? 1 : 0);
      },
    });
    this.#registerMirror(registers);
    this.#tenantRequests = new Counter({
      name: 'rgw_tenant_requests_total',
      help: 'GraphQL requests per tenant (open: open mode) and outcome (ok, partial, failed, refused, stream)',
      labelNames: ['tenant', 'outcome'],
      registers,
    });
    this.#tenantUpstreamCalls = new Counter({
      name: 'rgw_tenant_upstream_calls_total',
      help: 'Upstream requests made for each tenant',
      labelNames: ['tenant'],
      registers,
    });
    this.#tenantRateLimited = new Counter({
      name: 'rgw_tenant_rate_limited_total',
      help: 'Requests answered 429 because the tenant budget (requests or upstream calls per minute) was spent',
      labelNames: ['tenant', 'limit'],
      registers,
    });
  }

  /** The observer of one key set's request path. */
  upstream(keySet: string): UpstreamObserver {
    return {
      attemptStarted: (route) => ({
        end: (how) => {
          const status = how.status === null ? 'none' : String(how.status);
          this.#upstreamRequests.inc({ key_set: keySet, route, status, outcome: attemptOutcome(how) });
          const space = route.indexOf(' ');
          this.#fetchDuration.observe({ url: route.slice(space + 1), method: route.slice(0, space), statusCode: status }, how.ms / 1000);
        },
      }),
      breakerRefused: (route) => this.#breakerRefused.inc({ key_set: keySet, route }),
      tokenFetched: (ok) => this.#tokenFetches.inc({ key_set: keySet, outcome: ok ? 'ok' : 'failed' }),
      watchResilience: (view) => this.#resilience.set(keySet, view),
    };
  }

  /** The observer of the caches; `shared` names the backend behind the local layer. */
  cache(shared: 'redis' | 'memory'): CacheObserver {
    return {
      read: (kind, work) =>
        work((layer, hit) => this.#cacheLookups.inc({ layer: layer === 'local' ? 'local' : shared, kind, result: hit ? 'hit' : 'miss' })),
    };
  }

  watchRedis(mode: 'single' | 'cluster', isUp: () => boolean): void {
    this.#redis = { mode, isUp };
  }

  watchMirror(read: () => Promise<MirrorLag[]>): void {
    this.#mirror = read;
  }

  request(tenant: string | null, outcome: TrafficOutcome, upstreamCalls: number): void {
    const label = tenant ?? 'open';
    this.#tenantRequests.inc({ tenant: label, outcome });
    if (upstreamCalls > 0) this.#tenantUpstreamCalls.inc({ tenant: label }, upstreamCalls);
  }

  rateLimited(tenant: string, limit: string): void {
    this.#tenantRateLimited.inc({ tenant, limit: limit === 'requests' ? 'requests' : 'upstream_calls' });
  }

  #registerMirror(registers: Registry[]): void {
    // One read of the mirror's states serves the three gauges of a scrape.
    let reading: { at: number; lags: Promise<MirrorLag[]> } | null = null;
    const lags = (): Promise<MirrorLag[]> => {
      const read = this.#mirror;
      if (read === null) return Promise.resolve([]);
      if (reading === null || Date.now() - reading.at > 1_000) reading = { at: Date.now(), lags: read().catch(() => []) };
      return reading.lags;
    };
    const entries: Gauge<'feed'> = new Gauge({
      name: 'rgw_mirror_entries',
      help: 'Entries in the feed mirror, per feed (funds, fees, sales), over every ledger',
      labelNames: ['feed'],
      registers,
      collect: async () => {
        for (const one of await lags()) entries.set({ feed: one.feed }, one.entries);
      },
    });
    const lag: Gauge<'feed'> = new Gauge({
      name: 'rgw_mirror_lag_seconds',
      help: 'Per feed, the most seconds any ledger is behind: since its feed was last read to its end (on its first walk: since its newest stored ledger date began)',
      labelNames: ['feed'],
      registers,
      collect: async () => {
        for (const one of await lags()) if (one.lagSeconds !== null) lag.set({ feed: one.feed }, one.lagSeconds);
      },
    });
    const feeds: Gauge<'feed' | 'state'> = new Gauge({
      name: 'rgw_mirror_feeds',
      help: 'Ledgers per feed and state: at_end (read to its end), catching_up (first walk under way), not_started',
      labelNames: ['feed', 'state'],
      registers,
      collect: async () => {
        for (const one of await lags()) {
          feeds.set({ feed: one.feed, state: 'at_end' }, one.feeds.atEnd);
          feeds.set({ feed: one.feed, state: 'catching_up' }, one.feeds.catchingUp);
          feeds.set({ feed: one.feed, state: 'not_started' }, one.feeds.notStarted);
        }
      },
    });
  }
}

import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { entryOf } from '../kernel/memo.ts';
import type { Logger } from '../logger.ts';
import type { RedisConnection } from '../sources/redis/connection.ts';

/**
 * Per-tenant budgets per minute, on rate-limiter-flexible: requests, and upstream calls made
 * for them. With Redis the counters are shared by every replica; without it, or while Redis is
 * in trouble, each process counts for itself (a miss, never a failed query).
 */

export interface TenantRates {
  /** Requests a tenant may send per minute; 0 for no limit. */
  requestsPerMinute: number;
  /** Upstream calls its requests may cause per minute; 0 for no limit. */
  upstreamCallsPerMinute: number;
}

export type Admission = { admitted: true } | { admitted: false; limit: 'requests' | 'upstream calls'; retryAfterSeconds: number };

const keyPrefix = 'rgw:v1:rate';
const durationSeconds = 60;

/**
 * A tenant's counters carry its id as a hash tag: on a Redis Cluster both of its budgets live on
 * one node, and the tenants spread over all of them.
 */
function tenantKey(tenantId: string): string {
  return `{${tenantId}}`;
}

/** One budget (requests or upstream calls) of one size: Redis first, this process's memory behind it. */
class Budget {
  readonly #shared: RateLimiterAbstract | null;
  readonly #local: RateLimiterMemory;

  constructor(
    name: string,
    readonly points: number,
    private readonly redis: RedisConnection | null,
  ) {
    const options = { keyPrefix: `${keyPrefix}:${name}:${points}`, points, duration: durationSeconds };
    this.#local = new RateLimiterMemory(options);
    this.#shared = redis === null ? null : new RateLimiterRedis({ ...options, storeClient: redis.raw, useRedisPackage: true, rejectIfRedisNotReady: true });
  }

  /** Takes `points`; a refusal when the minute's budget is spent. */
  async take(key: string, points: number): Promise<RateLimiterRes | null> {
    try {
      await this.#run((limiter) => limiter.consume(tenantKey(key), points));
      return null;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return refusal;
      throw refusal;
    }
  }

  /** Adds `points` without refusing (what was already spent upstream). */
  async add(key: string, points: number): Promise<void> {
    await this.#run((limiter) => limiter.penalty(tenantKey(key), points));
  }

  /** What is spent this minute, and when the budget comes back. */
  async spent(key: string): Promise<RateLimiterRes | null> {
    return this.#run((limiter) => limiter.get(tenantKey(key)));
  }

  /** The shared counter when Redis answers in time; this process's own when it does not. */
  async #run<T>(work: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T> {
    const shared = this.#shared;
    if (shared === null || this.redis === null || !this.redis.isReady()) return work(this.#local);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, this.redis?.commandTimeoutMs ?? 50, 'late')));
    const answer = work(shared).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    const outcome = await Promise.race([answer, late]);
    clearTimeout(timer);
    if (outcome !== 'late' && 'value' in outcome) return outcome.value;
    // A refusal is an answer, not trouble.
    if (outcome !== 'late' && outcome.error instanceof RateLimiterRes) throw outcome.error;
    return work(this.#local);
  }
}

export class TenantRateLimits {
  readonly #budgets = new Map<string, Budget>();

  constructor(
    private readonly redis: RedisConnection | null,
    private readonly logger: Logger,
  ) {}

  /** Counts a request, and refuses it when this minute's requests or upstream calls are spent. */
  async admit(tenantId: string, rates: TenantRates): Promise<Admission> {
    try {
      if (rates.requestsPerMinute > 0) {
        const refused = await this.#budget('requests', rates.requestsPerMinute).take(tenantId, 1);
        if (refused !== null) return { admitted: false, limit: 'requests', retryAfterSeconds: retryAfter(refused) };
      }
      if (rates.upstreamCallsPerMinute > 0) {
        const spent = await this.#budget('upstream', rates.upstreamCallsPerMinute).spent(tenantId);
        if (spent !== null && spent.consumedPoints >= rates.upstreamCallsPerMinute) {
          return { admitted: false, limit: 'upstream calls', retryAfterSeconds: retryAfter(spent) };
        }
      }
    } catch (error) {
      // Counting failed in both places: let the request through rather than refuse everyone.
      this.logger.warn('rate limit not counted', { tenant: tenantId, error });
    }
    return { admitted: true };
  }

  /** Charges the upstream calls a request made. */
  async charge(tenantId: string, rates: TenantRates, upstreamCalls: number): Promise<void> {
    if (rates.upstreamCallsPerMinute <= 0 || upstreamCalls <= 0) return;
    await this.#budget('upstream', rates.upstreamCallsPerMinute)
      .add(tenantId, upstreamCalls)
      .catch((error: unknown) => this.logger.warn('upstream calls not counted', { tenant: tenantId, error }));
  }

  #budget(name: 'requests' | 'upstream', points: number): Budget {
    return entryOf(this.#budgets, `${name}:${points}`, () => new Budget(name, points, this.redis));
  }
}

function retryAfter(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

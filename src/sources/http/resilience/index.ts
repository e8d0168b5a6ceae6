import { silentLogger, type Logger } from '../../../logger.ts';
import type { AttemptEnd, UpstreamObserver } from '../../observer.ts';
import { errorForOpenCircuit, errorForTransport, isUpstreamError, parseRetryAfter, type UpstreamError } from '../errors.ts';
import { CircuitBreaker, defaultCircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './circuit-breaker.ts';
import { ConcurrencyLimiter } from './concurrency-limiter.ts';
import { currentRequest, type Deadline } from './deadline.ts';
import { defaultRetryBudget, RetryBudget, type RetryBudgetOptions } from './retry-budget.ts';
import { defaultRetry, isUpstreamFailure, judgeAttempt, type AttemptOutcome, type RetryOptions } from './retry-policy.ts';

/**
 * Around every upstream exchange: a circuit breaker per route family, a concurrency limit per
 * origin, and retries of what is safe to repeat, with backoff and jitter, under a retry budget,
 * within the request's deadline. The HTTP layer supplies one attempt; this decides how many it
 * gets and when.
 *
 * A route family is a route template with its method: every path it matches is served alike,
 * so they share one breaker, and the other templates keep working while one is failing (the
 * ledger list still answers while Report dates are down).
 */

export { Deadline, DeadlineExceededError, currentDeadline, currentRequest, withDeadline, withRequest, type RequestScope } from './deadline.ts';
export type { CircuitState } from './circuit-breaker.ts';

export interface ResilienceOptions {
  retry: RetryOptions;
  budget: RetryBudgetOptions;
  breaker: CircuitBreakerOptions;
  /** Calls in flight to the origin at once; the rest queue (within their deadline). */
  maxConcurrent: number;
}

/** What a caller may set; everything left out has the defaults above. */
export interface ResilienceSettings {
  retry?: Partial<RetryOptions>;
  budget?: Partial<RetryBudgetOptions>;
  breaker?: Partial<CircuitBreakerOptions>;
  maxConcurrent?: number;
}

export interface ResilienceDeps {
  clock: () => number;
  logger?: Logger;
  /** For jitter; `Math.random` unless a test wants otherwise. */
  random?: () => number;
  /** The concurrency limit when the settings name none: the size of the connection pool. */
  defaultConcurrency: number;
  /** Told of every attempt, refusal and retry; nobody is when left out. */
  observer?: UpstreamObserver | null;
}

/** What an attempt must tell about its answer. */
export interface AttemptAnswer {
  status: number;
  /** The raw `Retry-After` header. */
  retryAfter: string | undefined;
}

export interface CallLabel {
  /** Method and route template. */
  route: string;
  /** Safe to send again: a GET, or the token request. */
  idempotent: boolean;
}

export class Resilience {
  readonly options: ResilienceOptions;
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly budget: RetryBudget;
  private readonly limiter: ConcurrencyLimiter;
  private readonly clock: () => number;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly observer: UpstreamObserver | null;

  constructor(settings: ResilienceSettings, deps: ResilienceDeps) {
    this.options = {
      retry: { ...defaultRetry, ...settings.retry },
      budget: { ...defaultRetryBudget, ...settings.budget },
      breaker: { ...defaultCircuitBreaker, ...settings.breaker },
      maxConcurrent: settings.maxConcurrent ?? deps.defaultConcurrency,
    };
    this.clock = deps.clock;
    this.logger = deps.logger ?? silentLogger;
    this.random = deps.random ?? Math.random;
    this.budget = new RetryBudget(this.options.budget, this.clock);
    this.limiter = new ConcurrencyLimiter(this.options.maxConcurrent);
    this.observer = deps.observer ?? null;
    this.observer?.watchResilience({
      retryBudgetLeft: () => this.budget.left(),
      circuits: () => [...this.breakers].map(([route, breaker]) => [route, breaker.current] as const),
    });
  }

  /** The state of a route family's circuit (`GET /report/v2/…/{ledgerDate}`), for readiness and tests. */
  circuit(route: string): CircuitState {
    return this.breakers.get(route)?.current ?? 'closed';
  }

  /**
   * Runs `attempt` until it gives an answer worth returning, or the retries, the budget or the
   * deadline run out. Answers come back whatever their status (the caller maps it); transport
   * failures are thrown as `UpstreamError`.
   */
  async call<Answer extends AttemptAnswer>(label: CallLabel, deadline: Deadline, attempt: () => Promise<Answer>): Promise<Answer> {
    const breaker = this.breakerFor(label.route);
    for (let number = 1; ; number += 1) {
      const permit = breaker.admit();
      if (permit === null) {
        this.observer?.breakerRefused(label.route);
        throw errorForOpenCircuit(label.route, breaker.retryInMs());
      }
      let release: () => void;
      try {
        release = await this.limiter.acquire(deadline.signal, currentRequest()?.share);
      } catch (reason) {
        breaker.abandon(permit);
        throw errorForTransport(label.route, reason);
      }
      this.budget.recordCall();
      const watch = this.observer?.attemptStarted(label.route, number);
      const startedAt = this.clock();
      let answer: Answer | UpstreamError;
      try {
        answer = await attempt();
      } catch (error) {
        if (!isUpstreamError(error)) {
          // Not an upstream outcome (a bug above the wire): it says nothing about the route.
          breaker.abandon(permit);
          throw error;
        }
        answer = error;
      } finally {
        release();
      }
      const elapsedMs = this.clock() - startedAt;
      const outcome = this.outcomeOf(answer, deadline, elapsedMs);
      breaker.record(permit, isUpstreamFailure(outcome, this.options.breaker.slowCallMs));

      const verdict = label.idempotent ? judgeAttempt(outcome, number, this.options.retry, this.random) : { retry: false as const };
      const fits = verdict.retry && verdict.waitMs + this.options.retry.minAttemptMs <= deadline.remainingMs();
      const retrying = verdict.retry && fits && (!verdict.budgeted || this.budget.tryRetry());
      watch?.end(attemptEnd(answer, retrying, elapsedMs));
      const requestId = currentRequest()?.requestId;
      if (!retrying) {
        if (verdict.retry) {
          const why = fits ? 'retry budget spent' : 'deadline too near';
          this.logger.info('not retrying upstream call', { requestId, route: label.route, attempt: number, reason: verdict.reason, why });
        }
        if (answer instanceof Error) throw answer;
        return answer;
      }
      this.logger.debug('retrying upstream call', { requestId, route: label.route, attempt: number, reason: verdict.reason, waitMs: Math.round(verdict.waitMs) });
      try {
        await deadline.sleep(verdict.waitMs);
      } catch {
        // The deadline fired while waiting: what the last attempt met is the truer story.
        if (answer instanceof Error) throw answer;
        return answer;
      }
    }
  }

  private outcomeOf(answer: AttemptAnswer | UpstreamError, deadline: Deadline, elapsedMs: number): AttemptOutcome {
    if (isUpstreamError(answer)) {
      return { kind: 'transport', code: answer.code, deadlinePassed: deadline.signal.aborted, elapsedMs };
    }
    const seconds = parseRetryAfter(answer.retryAfter, this.clock());
    return { kind: 'answer', status: answer.status, retryAfterMs: seconds === null ? null : seconds * 1000 };
  }

  private breakerFor(route: string): CircuitBreaker {
    let breaker = this.breakers.get(route);
    if (breaker === undefined) {
      breaker = new CircuitBreaker(this.options.breaker, this.clock, (state) => {
        const requestId = currentRequest()?.requestId;
        if (state === 'open') this.logger.warn('upstream circuit opened: failing fast', { requestId, route, forMs: this.options.breaker.openMs });
        else this.logger.info('upstream circuit changed', { requestId, route, state });
      });
      this.breakers.set(route, breaker);
    }
    return breaker;
  }
}

/** What an observer is told of an attempt's answer. */
export function attemptEnd(answer: AttemptAnswer | UpstreamError, retried: boolean, ms: number): AttemptEnd {
  return isUpstreamError(answer)
    ? { status: answer.status, failure: answer.code, retried, ms }
    : { status: answer.status, failure: null, retried, ms };
}

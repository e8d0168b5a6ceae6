import type { UpstreamErrorCode } from './http/errors.ts';
import type { CircuitState } from './http/resilience/circuit-breaker.ts';

/**
 * What the request path and the caches tell whoever watches them (metrics, traces). The sources
 * know nothing of Prometheus or OpenTelemetry: they call these few methods where something
 * happens, and only when an observer was given, so a gateway without telemetry does no work for it.
 */

/** How one attempt upstream ended. */
export interface AttemptEnd {
  /** The HTTP status, or null when no answer came (a transport failure, a timeout). */
  status: number | null;
  /** The failure's code when no answer came. */
  failure: UpstreamErrorCode | null;
  /** Another attempt of the same call follows this one. */
  retried: boolean;
  ms: number;
}

export interface AttemptWatch {
  end(how: AttemptEnd): void;
}

/** The resilience layer's state, read when someone asks (a scrape), never pushed. */
export interface ResilienceView {
  /** Retries the budget would allow right now. */
  retryBudgetLeft(): number;
  /** Every route family's circuit that has seen a call. */
  circuits(): Iterable<readonly [route: string, state: CircuitState]>;
}

export interface UpstreamObserver {
  /** An attempt is about to be sent (`attempt` counts from 1); `end` is called once it has ended. */
  attemptStarted(route: string, attempt: number): AttemptWatch;
  /** A call was not sent: its route's circuit is open. */
  breakerRefused(route: string): void;
  /** This process asked the token endpoint for a token (not a token read from the shared store). */
  tokenFetched(ok: boolean): void;
  watchResilience(view: ResilienceView): void;
}

/** `local`: this process's decoded values; `shared`: the cache behind it (Redis, or memory). */
export type CacheLayer = 'local' | 'shared';

export type CacheLookup = (layer: CacheLayer, hit: boolean) => void;

export interface CacheObserver {
  /** Runs one cached read of a value kind (`report date`); `work` tells each layer it looked in. */
  read<T>(kind: string, work: (lookedUp: CacheLookup) => Promise<T>): Promise<T>;
}

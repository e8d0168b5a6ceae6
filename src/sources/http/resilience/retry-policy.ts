import type { UpstreamErrorCode } from '../errors.ts';

/**
 * When one failed attempt is worth another, and after how long. Only the outcome is judged
 * here; whether the call may be repeated at all (idempotent), whether the budget allows it and
 * whether the deadline leaves time for it are the caller's part.
 */

export interface RetryOptions {
  /** Attempts, the first included, of a call failing with a 5xx, a timeout or a lost connection. */
  maxAttempts: number;
  /** Attempts of a call upstream keeps rate-limiting: each waits what Retry-After asks. */
  maxRateLimitedAttempts: number;
  /** The first backoff; it doubles with every attempt, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** An attempt needs at least this long before the deadline to be worth starting. */
  minAttemptMs: number;
}

export const defaultRetry: RetryOptions = { maxAttempts: 5, maxRateLimitedAttempts: 10, baseDelayMs: 100, maxDelayMs: 2_000, minAttemptMs: 100 };

/** What one attempt ended with, as far as retrying cares. */
export type AttemptOutcome =
  | { kind: 'answer'; status: number; retryAfterMs: number | null }
  /** No usable answer: `deadlinePassed` when it was the request's own deadline that ended it. */
  | { kind: 'transport'; code: UpstreamErrorCode; deadlinePassed: boolean; elapsedMs: number };

export type RetryVerdict =
  | { retry: false }
  /** `budgeted`: the retry is charged to the retry budget (a 429's is not: upstream asked for it). */
  | { retry: true; waitMs: number; budgeted: boolean; reason: string };

/** Statuses that say "not now" rather than "not this": worth repeating an idempotent call for. */
const transientStatuses = new Set([408, 500, 502, 503, 504]);

export function backoffMs(attempt: number, options: RetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  // Half fixed, half random: retries of calls that failed together spread out instead of
  // arriving together again, and none retries immediately.
  return ceiling / 2 + random() * (ceiling / 2);
}

/** `Retry-After` as asked, plus a little spread so that a crowd told "1 s" does not return as one. */
function afterAsked(retryAfterMs: number, random: () => number): number {
  return retryAfterMs + random() * Math.min(retryAfterMs / 4, 500);
}

/** The verdict on attempt number `attempt` (1 for the first). */
export function judgeAttempt(outcome: AttemptOutcome, attempt: number, options: RetryOptions, random: () => number): RetryVerdict {
  if (outcome.kind === 'answer') {
    const { status, retryAfterMs } = outcome;
    if (status === 429) {
      if (attempt >= options.maxRateLimitedAttempts) return { retry: false };
      const waitMs = retryAfterMs === null ? backoffMs(attempt, options, random) : afterAsked(retryAfterMs, random);
      return { retry: true, waitMs, budgeted: false, reason: 'status 429' };
    }
    if (!transientStatuses.has(status) || attempt >= options.maxAttempts) return { retry: false };
    const backoff = backoffMs(attempt, options, random);
    const waitMs = retryAfterMs === null ? backoff : Math.max(backoff, afterAsked(retryAfterMs, random));
    return { retry: true, waitMs, budgeted: true, reason: `status ${status}` };
  }
  const transient = outcome.code === 'UPSTREAM_TIMEOUT' || outcome.code === 'UPSTREAM_UNAVAILABLE';
  if (!transient || outcome.deadlinePassed || attempt >= options.maxAttempts) return { retry: false };
  return { retry: true, waitMs: backoffMs(attempt, options, random), budgeted: true, reason: outcome.code };
}

/**
 * Whether the outcome says the upstream is unwell (for the circuit breaker). A call cut short
 * by its request's deadline counts only once it had waited `slowCallMs`: a caller asking for a
 * 50 ms deadline says nothing about upstream, and must not open the circuit for everyone.
 */
export function isUpstreamFailure(outcome: AttemptOutcome, slowCallMs: number): boolean {
  if (outcome.kind === 'answer') return outcome.status >= 500 || outcome.status === 408;
  if (outcome.deadlinePassed) return outcome.elapsedMs >= slowCallMs;
  return outcome.code === 'UPSTREAM_TIMEOUT' || outcome.code === 'UPSTREAM_UNAVAILABLE';
}

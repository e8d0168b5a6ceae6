import { setTimeout as sleep } from 'node:timers/promises';
import { isUpstreamError } from '../sources/http/errors.ts';

/**
 * How the sync waits out trouble. It has no user waiting, so it is patient where a query is not:
 * a 429 is waited out for as long as upstream asks, other passing trouble is retried with a
 * growing pause, and anything else ends the feed's turn (the next pass starts where it stopped).
 */

export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 6, firstDelayMs: 500, maxDelayMs: 30_000 };

/** Upstream failures that pass by themselves. */
function isPassing(error: unknown): boolean {
  if (!isUpstreamError(error)) return false;
  return error.code === 'UPSTREAM_RATE_LIMITED' || error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'UPSTREAM_TIMEOUT' || error.code === 'UPSTREAM_BAD_RESPONSE';
}

/** How long to wait before the next attempt: what upstream asked for, at least the backoff. */
export function retryDelayMs(error: unknown, attempt: number, policy: RetryPolicy): number {
  const backoff = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** attempt);
  const asked = isUpstreamError(error) && error.retryAfterSeconds !== null ? error.retryAfterSeconds * 1000 : 0;
  return Math.max(backoff, asked);
}

/** Runs `attempt` until it succeeds, it fails in a way that does not pass, or the attempts are used up. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
  retryable: (error: unknown) => boolean = isPassing,
): Promise<T> {
  for (let tries = 0; ; tries += 1) {
    try {
      return await attempt();
    } catch (error: unknown) {
      if (tries + 1 >= policy.attempts || !retryable(error) || signal?.aborted) throw error;
      await sleep(retryDelayMs(error, tries, policy), undefined, { signal }).catch(() => {});
      if (signal?.aborted) throw error;
    }
  }
}

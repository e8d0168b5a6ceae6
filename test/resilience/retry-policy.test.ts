import { describe, expect, it } from 'vitest';
import { backoffMs, defaultRetry, isUpstreamFailure, judgeAttempt, type AttemptOutcome } from '../../src/sources/http/resilience/retry-policy.ts';

const answer = (status: number, retryAfterMs: number | null = null): AttemptOutcome => ({ kind: 'answer', status, retryAfterMs });
const lost = (code: 'UPSTREAM_TIMEOUT' | 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_BAD_RESPONSE', deadlinePassed = false, elapsedMs = 10): AttemptOutcome => ({
  kind: 'transport',
  code,
  deadlinePassed,
  elapsedMs,
});
const half = () => 0.5;

describe('judgeAttempt', () => {
  it.each([200, 400, 401, 403, 404, 418])('does not retry status %i', (status) => {
    expect(judgeAttempt(answer(status), 1, defaultRetry, half)).toEqual({ retry: false });
  });

  it.each([408, 500, 502, 503, 504])('retries status %i with backoff, charged to the budget, up to the attempt limit', (status) => {
    expect(judgeAttempt(answer(status), 1, defaultRetry, half)).toMatchObject({ retry: true, budgeted: true });
    expect(judgeAttempt(answer(status), defaultRetry.maxAttempts, defaultRetry, half)).toEqual({ retry: false });
  });

  it('waits what a 429 asks, plus a little spread, without charging the budget', () => {
    const verdict = judgeAttempt(answer(429, 1_000), 1, defaultRetry, half);
    expect(verdict).toMatchObject({ retry: true, budgeted: false });
    if (!verdict.retry) throw new Error('expected a retry');
    expect(verdict.waitMs).toBeGreaterThanOrEqual(1_000);
    expect(verdict.waitMs).toBeLessThanOrEqual(1_250);
    expect(judgeAttempt(answer(429, 1_000), defaultRetry.maxRateLimitedAttempts, defaultRetry, half)).toEqual({ retry: false });
  });

  it('waits the longer of backoff and Retry-After on a 503', () => {
    const verdict = judgeAttempt(answer(503, 3_000), 1, defaultRetry, () => 0);
    expect(verdict).toMatchObject({ retry: true, waitMs: 3_000 });
  });

  it('retries lost connections and attempt timeouts, but not a passed deadline nor a bad body', () => {
    expect(judgeAttempt(lost('UPSTREAM_UNAVAILABLE'), 1, defaultRetry, half)).toMatchObject({ retry: true, budgeted: true });
    expect(judgeAttempt(lost('UPSTREAM_TIMEOUT'), 1, defaultRetry, half)).toMatchObject({ retry: true });
    expect(judgeAttempt(lost('UPSTREAM_TIMEOUT', true), 1, defaultRetry, half)).toEqual({ retry: false });
    expect(judgeAttempt(lost('UPSTREAM_BAD_RESPONSE'), 1, defaultRetry, half)).toEqual({ retry: false });
  });
});

describe('backoffMs', () => {
  it('doubles up to the cap, and is never less than half of it nor more than all of it', () => {
    const ceilings = [1, 2, 3, 4, 5, 6].map((attempt) => [backoffMs(attempt, defaultRetry, () => 0), backoffMs(attempt, defaultRetry, () => 1)]);
    expect(ceilings).toEqual([
      [50, 100],
      [100, 200],
      [200, 400],
      [400, 800],
      [800, 1_600],
      [1_000, 2_000],
    ]);
  });
});

describe('isUpstreamFailure', () => {
  it('counts 5xx, 408, timeouts and lost connections; not 429 nor other 4xx', () => {
    expect([500, 503, 408, 429, 404, 400].map((status) => isUpstreamFailure(answer(status), 2_000))).toEqual([true, true, true, false, false, false]);
    expect(isUpstreamFailure(lost('UPSTREAM_UNAVAILABLE'), 2_000)).toBe(true);
    expect(isUpstreamFailure(lost('UPSTREAM_BAD_RESPONSE'), 2_000)).toBe(false);
  });

  it("counts a call cut off by its request's deadline only once it had waited long", () => {
    expect(isUpstreamFailure(lost('UPSTREAM_TIMEOUT', true, 50), 2_000)).toBe(false);
    expect(isUpstreamFailure(lost('UPSTREAM_TIMEOUT', true, 2_500), 2_000)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { RetryBudget } from '../../src/sources/http/resilience/retry-budget.ts';

function budgetAt(options: { ratio: number; minRetriesPerSecond: number; windowMs: number }) {
  let now = 5_000_000;
  const budget = new RetryBudget(options, () => now);
  return {
    budget,
    advance: (ms: number) => {
      now += ms;
    },
    /** Calls made until the budget refuses a retry; each granted retry is a call too. */
    retriesGranted: (firstCalls: number) => {
      let granted = 0;
      for (let call = 0; call < firstCalls; call += 1) {
        budget.recordCall();
        // Every call fails and asks for retries until refused.
        while (budget.tryRetry()) {
          granted += 1;
          budget.recordCall();
        }
      }
      return granted;
    },
  };
}

describe('RetryBudget', () => {
  it('grants retries up to a fifth of all calls, so at most 1.25 calls per call asked for', () => {
    const { retriesGranted } = budgetAt({ ratio: 0.2, minRetriesPerSecond: 0, windowMs: 10_000 });
    const granted = retriesGranted(1_000);
    expect(granted).toBeLessThanOrEqual(250);
    expect(granted).toBeGreaterThanOrEqual(249);
  });

  it('grants a few retries a second whatever the traffic', () => {
    const { retriesGranted } = budgetAt({ ratio: 0, minRetriesPerSecond: 3, windowMs: 10_000 });
    expect(retriesGranted(1)).toBe(30);
    expect(retriesGranted(1)).toBe(0);
  });

  it('gives the budget back as calls leave the window', () => {
    const { retriesGranted, advance } = budgetAt({ ratio: 0, minRetriesPerSecond: 1, windowMs: 10_000 });
    expect(retriesGranted(1)).toBe(10);
    expect(retriesGranted(1)).toBe(0);
    advance(10_001);
    expect(retriesGranted(1)).toBe(10);
  });
});

import { describe, expect, it } from 'vitest';
import { CircuitBreaker, defaultCircuitBreaker } from '../../src/sources/http/resilience/circuit-breaker.ts';

/** The breaker's states over a hand-moved clock: no timers, no waiting. */
function breakerAt(start = 1_000_000) {
  let now = start;
  const changes: string[] = [];
  const breaker = new CircuitBreaker({ ...defaultCircuitBreaker, minCalls: 10, failureRatio: 0.5, openMs: 5_000, windowMs: 10_000 }, () => now, (state) => changes.push(state));
  return {
    breaker,
    changes,
    advance: (ms: number) => {
      now += ms;
    },
    calls: (outcomes: boolean[]) => {
      for (const failed of outcomes) {
        const permit = breaker.admit();
        if (permit === null) throw new Error('refused while closed');
        breaker.record(permit, failed);
      }
    },
  };
}

const failures = (count: number) => Array.from({ length: count }, () => true);
const successes = (count: number) => Array.from({ length: count }, () => false);

describe('CircuitBreaker', () => {
  it('stays closed below the failure share, however many calls fail in all', () => {
    const { breaker, calls } = breakerAt();
    for (let round = 0; round < 20; round += 1) calls([true, false, false]);
    expect(breaker.current).toBe('closed');
  });

  it('does not judge before the window holds enough calls', () => {
    const { breaker, calls } = breakerAt();
    calls(failures(9));
    expect(breaker.current).toBe('closed');
    calls(failures(1));
    expect(breaker.current).toBe('open');
  });

  it('fails fast while open, then lets exactly one probe through', () => {
    const { breaker, calls, advance } = breakerAt();
    calls(failures(10));
    expect(breaker.admit()).toBeNull();
    expect(breaker.retryInMs()).toBe(5_000);
    advance(5_000);
    expect(breaker.current).toBe('half-open');
    const probe = breaker.admit();
    expect(probe).toEqual({ probe: true });
    expect(breaker.admit()).toBeNull();
  });

  it('closes on a successful probe and counts afresh', () => {
    const { breaker, calls, advance, changes } = breakerAt();
    calls(failures(10));
    advance(5_000);
    const probe = breaker.admit();
    if (probe === null) throw new Error('no probe');
    breaker.record(probe, false);
    expect(breaker.current).toBe('closed');
    // The failures that opened it are forgotten: nine new ones are not yet enough to judge.
    calls(failures(9));
    expect(breaker.current).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('opens again for a whole period when the probe fails', () => {
    const { breaker, calls, advance } = breakerAt();
    calls(failures(10));
    advance(5_000);
    const probe = breaker.admit();
    advance(1_000);
    if (probe === null) throw new Error('no probe');
    breaker.record(probe, true);
    expect(breaker.current).toBe('open');
    expect(breaker.retryInMs()).toBe(5_000);
  });

  it('lets another probe through when one was abandoned before it was sent', () => {
    const { breaker, calls, advance } = breakerAt();
    calls(failures(10));
    advance(5_000);
    const probe = breaker.admit();
    if (probe === null) throw new Error('no probe');
    breaker.abandon(probe);
    expect(breaker.admit()).toEqual({ probe: true });
  });

  it('forgets failures older than the window', () => {
    const { breaker, calls, advance } = breakerAt();
    calls(failures(6));
    advance(11_000);
    calls([...failures(4), ...successes(6)]);
    expect(breaker.current).toBe('closed');
  });
});

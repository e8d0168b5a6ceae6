import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from '../../src/sources/http/resilience/concurrency-limiter.ts';

describe('ConcurrencyLimiter', () => {
  it('lets `limit` calls in and queues the rest in order', async () => {
    const limiter = new ConcurrencyLimiter(2);
    const never = new AbortController().signal;
    const first = await limiter.acquire(never);
    const second = await limiter.acquire(never);
    const order: string[] = [];
    const third = limiter.acquire(never).then((release) => (order.push('third'), release));
    const fourth = limiter.acquire(never).then((release) => (order.push('fourth'), release));
    expect(limiter.waiting).toBe(2);
    first();
    second();
    (await third)();
    (await fourth)();
    expect(order).toEqual(['third', 'fourth']);
    expect(limiter.inFlight).toBe(0);
  });

  it("drops a waiter whose signal fires, with the signal's reason, and keeps its slot for others", async () => {
    const limiter = new ConcurrencyLimiter(1);
    const held = await limiter.acquire(new AbortController().signal);
    const deadline = new AbortController();
    const waiting = limiter.acquire(deadline.signal);
    const reason = new Error('deadline');
    deadline.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(limiter.waiting).toBe(0);
    held();
    const next = await limiter.acquire(new AbortController().signal);
    expect(limiter.inFlight).toBe(1);
    next();
    // Releasing twice does not free a slot that was never taken.
    next();
    expect(limiter.inFlight).toBe(0);
  });

  it('refuses at once when the signal has already fired', async () => {
    const limiter = new ConcurrencyLimiter(3);
    const fired = new AbortController();
    fired.abort(new Error('too late'));
    await expect(limiter.acquire(fired.signal)).rejects.toThrow('too late');
    expect(limiter.inFlight).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from '../../src/sources/http/resilience/concurrency-limiter.ts';

/** Upstream connections shared between tenants: a freed slot goes to the tenants with waiting calls in turn. */

describe('the fair share of upstream connections', () => {
  it("serves a quiet tenant's call next, however many calls a noisy one queued before it", async () => {
    const limiter = new ConcurrencyLimiter(2);
    const signal = new AbortController().signal;
    const held = [await limiter.acquire(signal, 'noisy'), await limiter.acquire(signal, 'noisy')];
    const order: string[] = [];
    const served = (name: string) => (release: () => void) => {
      order.push(name);
      release();
    };
    const waits = [
      ...Array.from({ length: 20 }, (_, index) => limiter.acquire(signal, 'noisy').then(served(`noisy${index}`))),
      limiter.acquire(signal, 'quiet').then(served('quiet')),
    ];
    expect(limiter.waiting).toBe(21);
    for (const release of held) release();
    await Promise.all(waits);
    // The quiet call waited for one noisy call, not for twenty.
    expect(order.indexOf('quiet')).toBeLessThanOrEqual(2);
    expect(order.filter((name) => name.startsWith('noisy'))).toEqual(Array.from({ length: 20 }, (_, index) => `noisy${index}`));
    expect(limiter.inFlight).toBe(0);
    expect(limiter.waiting).toBe(0);
  });

  it('takes turns between busy tenants, one call each', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const signal = new AbortController().signal;
    const first = await limiter.acquire(signal, 'a');
    const order: string[] = [];
    const waits = ['a', 'a', 'a', 'b', 'b', 'c'].map((share) =>
      limiter.acquire(signal, share).then((release) => {
        order.push(share);
        release();
      }),
    );
    first();
    await Promise.all(waits);
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'a']);
  });

  it("lets a waiter whose deadline fires leave without taking another tenant's turn", async () => {
    const limiter = new ConcurrencyLimiter(1);
    const held = await limiter.acquire(new AbortController().signal, 'a');
    const deadline = new AbortController();
    const gone = limiter.acquire(deadline.signal, 'b');
    const stays = limiter.acquire(new AbortController().signal, 'c');
    deadline.abort(new Error('deadline'));
    await expect(gone).rejects.toThrow('deadline');
    expect(limiter.waiting).toBe(1);
    held();
    (await stays)();
    expect(limiter.inFlight).toBe(0);
  });
});

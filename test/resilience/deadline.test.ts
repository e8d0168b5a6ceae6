import { describe, expect, it } from 'vitest';
import { currentDeadline, Deadline, DeadlineExceededError, withDeadline } from '../../src/sources/http/resilience/deadline.ts';

describe('Deadline', () => {
  it('fires its signal with a DeadlineExceededError when the time is up', async () => {
    const deadline = Deadline.after(20);
    await new Promise((resolve) => deadline.signal.addEventListener('abort', resolve, { once: true }));
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExceededError);
    expect(deadline.expired).toBe(true);
    expect(deadline.remainingMs()).toBe(0);
  });

  it('fires early when the caller goes away', () => {
    const caller = new AbortController();
    const deadline = Deadline.after(60_000, { cancelledBy: caller.signal });
    expect(deadline.signal.aborted).toBe(false);
    caller.abort();
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExceededError);
    deadline.dispose();
  });

  it('counts the remaining time on its clock', () => {
    let now = 1_000;
    const deadline = Deadline.after(500, { clock: () => now });
    now = 1_200;
    expect(deadline.remainingMs()).toBe(300);
    now = 1_600;
    expect(deadline.expired).toBe(true);
    deadline.dispose();
  });

  it('ends a wait or a race when it fires, and leaves the raced promise alone', async () => {
    const deadline = Deadline.after(20);
    await expect(deadline.sleep(60_000)).rejects.toBeInstanceOf(DeadlineExceededError);
    const slow = new Promise<string>((resolve) => setTimeout(() => resolve('late'), 40));
    await expect(deadline.race(slow)).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(slow).resolves.toBe('late');
  });

  it("gives each attempt a signal that fires at its own limit or at the deadline's", async () => {
    const deadline = Deadline.after(60_000);
    const attempt = deadline.attempt(20);
    await new Promise((resolve) => attempt.signal.addEventListener('abort', resolve, { once: true }));
    expect(attempt.signal.reason).toMatchObject({ name: 'TimeoutError' });
    expect(deadline.signal.aborted).toBe(false);
    attempt.done();
    const cut = new AbortController();
    const early = Deadline.after(60_000, { cancelledBy: cut.signal });
    const second = early.attempt(60_000);
    cut.abort();
    expect(second.signal.reason).toBeInstanceOf(DeadlineExceededError);
    second.done();
    deadline.dispose();
  });

  it('travels with the asynchronous work started under it', async () => {
    const deadline = Deadline.after(60_000);
    const seen = await withDeadline(deadline, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return Promise.all([currentDeadline(), new Promise((resolve) => process.nextTick(() => resolve(currentDeadline())))]);
    });
    expect(seen).toEqual([deadline, deadline]);
    expect(currentDeadline()).toBeUndefined();
    deadline.dispose();
  });
});

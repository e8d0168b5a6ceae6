/**
 * At most `limit` calls in flight to one upstream origin; the rest wait their turn. Waiters
 * queue per share (a tenant), and a freed slot goes to the shares in turn, so one tenant's
 * burst cannot make another's calls wait behind all of its own. A waiter whose deadline fires
 * leaves the queue with the deadline's reason, so a burst never turns into an unbounded pile
 * of sockets, nor into requests that wait past their deadline.
 */

interface Waiter {
  grant(): void;
}

export class ConcurrencyLimiter {
  private active = 0;
  /** Waiters by share, each in arrival order; a share is here only while it has waiters. */
  private readonly queues = new Map<string, Waiter[]>();
  /** Shares with waiters, in the order their turn comes. */
  private readonly turns: string[] = [];
  private queued = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
  }

  get inFlight(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queued;
  }

  /** Resolves with a release function once a slot is free; rejects when `signal` fires first. */
  acquire(signal: AbortSignal, share = ''): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      const onAbort = () => {
        this.leave(share, waiter);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.enqueue(share, waiter);
    });
  }

  private enqueue(share: string, waiter: Waiter): void {
    const queue = this.queues.get(share);
    if (queue === undefined) {
      this.queues.set(share, [waiter]);
      this.turns.push(share);
    } else {
      queue.push(waiter);
    }
    this.queued += 1;
  }

  private leave(share: string, waiter: Waiter): void {
    const queue = this.queues.get(share);
    const index = queue?.indexOf(waiter) ?? -1;
    if (queue === undefined || index < 0) return;
    queue.splice(index, 1);
    this.queued -= 1;
    if (queue.length === 0) this.forget(share);
  }

  private forget(share: string): void {
    this.queues.delete(share);
    const turn = this.turns.indexOf(share);
    if (turn >= 0) this.turns.splice(turn, 1);
  }

  /** The first waiter of the share whose turn it is; that share goes to the back of the line. */
  private next(): Waiter | undefined {
    const share = this.turns.shift();
    if (share === undefined) return undefined;
    const queue = this.queues.get(share);
    const waiter = queue?.shift();
    this.queued -= 1;
    if (queue !== undefined && queue.length > 0) this.turns.push(share);
    else this.queues.delete(share);
    return waiter;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.next();
      // The slot passes straight to the next waiter: `active` stays as it is.
      if (next === undefined) this.active -= 1;
      else next.grant();
    };
  }
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';

/**
 * One deadline per GraphQL request: an absolute time and a signal that fires at it. Every
 * upstream attempt, every backoff, every wait for a token or a free connection gives up when it
 * fires, so a request answers by its deadline with what it has, never later.
 *
 * The deadline travels with the request's asynchronous work (AsyncLocalStorage) rather than
 * through every client and loader signature: the clients, their caches and the loaders between
 * the resolver and the HTTP layer stay as they are, and whatever they start on behalf of a
 * request runs under its deadline.
 */

/** Why a deadline's signal fired. Named like the platform's own timeouts, so it maps alike. */
export class DeadlineExceededError extends Error {
  readonly code = 'DEADLINE_EXCEEDED';

  constructor(message = 'the request deadline passed') {
    super(message);
    this.name = 'TimeoutError';
  }
}

export interface DeadlineOptions {
  clock?: () => number;
  /** Fires the deadline early, e.g. when the caller hangs up: nobody is left to answer. */
  cancelledBy?: AbortSignal;
}

export class Deadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly clock: () => number;
  private readonly unlink: () => void;

  private constructor(
    readonly expiresAtMs: number,
    options: DeadlineOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.signal = this.controller.signal;
    // One request may wait on hundreds of upstream reads at once (a 31-day summary), each
    // listening here until it settles: that is the design, not a leak.
    setMaxListeners(0, this.signal);
    const fire = () => this.controller.abort(new DeadlineExceededError());
    // Unref'd: a deadline alone never keeps the process up.
    this.timer = setTimeout(fire, Math.max(0, expiresAtMs - this.clock())).unref();
    const parent = options.cancelledBy;
    const cancel = () => this.controller.abort(new DeadlineExceededError('the caller went away'));
    parent?.addEventListener('abort', cancel, { once: true });
    this.unlink = () => parent?.removeEventListener('abort', cancel);
    if (parent?.aborted) cancel();
  }

  /** A deadline at `expiresAtMs` (epoch milliseconds of `Date.now`, or of `options.clock`). */
  static at(expiresAtMs: number, options: DeadlineOptions = {}): Deadline {
    return new Deadline(expiresAtMs, options);
  }

  static after(ms: number, options: DeadlineOptions = {}): Deadline {
    const clock = options.clock ?? Date.now;
    return new Deadline(clock() + ms, options);
  }

  remainingMs(): number {
    return this.signal.aborted ? 0 : Math.max(0, this.expiresAtMs - this.clock());
  }

  get expired(): boolean {
    return this.remainingMs() <= 0;
  }

  /** Resolves after `ms`, or rejects with the deadline's reason when it fires first. */
  sleep(ms: number): Promise<void> {
    return this.race(new Promise((resolve) => setTimeout(resolve, ms).unref()));
  }

  /** `promise`, unless the deadline fires first. The promise itself runs on (it may be shared). */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.signal.aborted) return Promise.reject(this.signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.signal.reason);
      this.signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          this.signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          this.signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /**
   * A signal for one attempt: fires at the deadline or after `maxMs`, whichever comes first.
   * `done()` releases its timer and listener.
   */
  attempt(maxMs: number): { signal: AbortSignal; done(): void } {
    const controller = new AbortController();
    const onAbort = () => controller.abort(this.signal.reason);
    this.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${maxMs} ms`, 'TimeoutError')), maxMs).unref();
    if (this.signal.aborted) onAbort();
    return {
      signal: controller.signal,
      done: () => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', onAbort);
      },
    };
  }

  /** Releases the timer once the request is answered. */
  dispose(): void {
    clearTimeout(this.timer);
    this.unlink();
  }
}

/**
 * What the HTTP layer knows of the request it calls upstream for: its deadline, whose share of
 * the upstream connections it draws on (its tenant's), and the calls made so far (for quotas
 * and the audit line).
 */
export interface RequestScope {
  /** The gateway's id of the request, on every log line written for it; none outside a request. */
  requestId?: string;
  deadline: Deadline;
  share: string;
  upstreamCalls: number;
  /** Upstream failures logged for it so far (the first few are warnings, the rest debug). */
  failuresLogged: number;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** Runs `work` (and everything it starts) for a request. */
export function withRequest<T>(request: RequestScope, work: () => T): T {
  return scope.run(request, work);
}

/** Runs `work` (and everything it starts) under `deadline`, on nobody's share in particular. */
export function withDeadline<T>(deadline: Deadline, work: () => T): T {
  return scope.run({ deadline, share: '', upstreamCalls: 0, failuresLogged: 0 }, work);
}

/** The request this code runs for, if any. */
export function currentRequest(): RequestScope | undefined {
  return scope.getStore();
}

/** The deadline of the request this code runs for, if any. */
export function currentDeadline(): Deadline | undefined {
  return scope.getStore()?.deadline;
}

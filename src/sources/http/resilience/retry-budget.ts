import { SlidingCounts } from './window.ts';

/**
 * Retries may add at most `ratio` of all upstream calls over the window (a fifth: at most 1.25
 * calls for each call the callers asked for), plus a few a second whatever the traffic, so that
 * a quiet gateway can still retry and a burst of failures at the start of a busy second is not
 * starved by a window that has not filled yet (the shape of Finagle's retry budget). When an
 * upstream is down, every caller retrying would multiply its load just when it can least take
 * it; the budget keeps that multiplication bounded.
 */

export interface RetryBudgetOptions {
  /** Retries as a share of all calls in the window, retries included. */
  ratio: number;
  /** Retries allowed each second of the window whatever the traffic. */
  minRetriesPerSecond: number;
  windowMs: number;
}

export const defaultRetryBudget: RetryBudgetOptions = { ratio: 0.2, minRetriesPerSecond: 3, windowMs: 10_000 };

export class RetryBudget {
  private readonly counts: SlidingCounts<'calls' | 'retries'>;
  private readonly floor: number;

  constructor(
    private readonly options: RetryBudgetOptions,
    clock: () => number,
  ) {
    this.counts = new SlidingCounts(options.windowMs, clock);
    this.floor = (options.minRetriesPerSecond * options.windowMs) / 1000;
  }

  /** Every attempt that goes upstream, first or retry. */
  recordCall(): void {
    this.counts.add('calls');
  }

  /** Takes one retry from the budget; false when the budget is spent. */
  tryRetry(): boolean {
    if (this.left() < 1) return false;
    this.counts.add('retries');
    return true;
  }

  /** Retries the budget allows right now. */
  left(): number {
    return Math.max(0, this.floor + this.options.ratio * this.counts.sum('calls') - this.counts.sum('retries'));
  }
}

import { SlidingCounts } from './window.ts';

/**
 * Retries may add at most `ratio` of all upstream calls over the window (a fifth: at most 1.25
 * calls per request the callers asked for), plus a small allowance so that a quiet gateway can
 * still retry its first failure. When an upstream is down, every caller retrying would multiply
 * its load just when it can least take it; the budget keeps that multiplication bounded.
 */

export interface RetryBudgetOptions {
  /** Retries as a share of all calls in the window, retries included. */
  ratio: number;
  /** Retries allowed per window whatever the traffic. */
  minRetries: number;
  windowMs: number;
}

export const defaultRetryBudget: RetryBudgetOptions = { ratio: 0.2, minRetries: 3, windowMs: 10_000 };

export class RetryBudget {
  private readonly counts: SlidingCounts<'calls' | 'retries'>;

  constructor(
    private readonly options: RetryBudgetOptions,
    clock: () => number,
  ) {
    this.counts = new SlidingCounts(options.windowMs, clock);
  }

  /** Every attempt that goes upstream, first or retry. */
  recordCall(): void {
    this.counts.add('calls');
  }

  /** Takes one retry from the budget; false when the budget is spent. */
  tryRetry(): boolean {
    const retries = this.counts.sum('retries');
    const allowed = this.options.minRetries + this.options.ratio * this.counts.sum('calls');
    if (retries + 1 > allowed) return false;
    this.counts.add('retries');
    return true;
  }
}

import { SlidingCounts } from './window.ts';

/**
 * A circuit breaker for one upstream route family. Closed, it lets every call through and
 * watches the share of failures over a sliding window; past the threshold it opens, and for
 * `openMs` calls fail at once instead of waiting on an upstream that is down (and adding to its
 * load). Then it half-opens: one probe goes through; its success closes the circuit, its
 * failure opens it again.
 *
 * Failures are what says the upstream is unwell: 5xx, timeouts, refused or dropped
 * connections. A 429 is upstream managing its load (Retry-After handles it), and a 4xx is an
 * answer: neither counts.
 */

export interface CircuitBreakerOptions {
  windowMs: number;
  /** Calls in the window before the share of failures means anything. */
  minCalls: number;
  /** Share of failed calls in the window that opens the circuit. */
  failureRatio: number;
  /** How long an open circuit refuses calls before letting a probe through. */
  openMs: number;
  /** A call its request's deadline cut short counts as a failure once it had waited this long. */
  slowCallMs: number;
}

export const defaultCircuitBreaker: CircuitBreakerOptions = { windowMs: 10_000, minCalls: 20, failureRatio: 0.5, openMs: 5_000, slowCallMs: 2_000 };

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Leave to make one call; `null` from `admit` means "refused, the circuit is open". */
export interface CallPermit {
  probe: boolean;
}

export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private openedAtMs = 0;
  private probeInFlight = false;
  private readonly counts: SlidingCounts<'calls' | 'failures'>;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly clock: () => number,
    private readonly onChange: (state: CircuitState) => void = () => {},
  ) {
    this.counts = new SlidingCounts(options.windowMs, clock);
  }

  get current(): CircuitState {
    if (this.state === 'open' && this.clock() - this.openedAtMs >= this.options.openMs) return 'half-open';
    return this.state;
  }

  /** Milliseconds until an open circuit lets a probe through (0 when it would now). */
  retryInMs(): number {
    return this.state === 'open' ? Math.max(0, this.openedAtMs + this.options.openMs - this.clock()) : 0;
  }

  admit(): CallPermit | null {
    const state = this.current;
    if (state === 'closed') return { probe: false };
    // Half-open: one probe at a time; everyone else keeps failing fast until it reports.
    if (state === 'half-open' && !this.probeInFlight) {
      this.probeInFlight = true;
      this.moveTo('half-open');
      return { probe: true };
    }
    return null;
  }

  record(permit: CallPermit, failed: boolean): void {
    if (permit.probe) {
      this.probeInFlight = false;
      if (failed) this.open();
      else this.close();
      return;
    }
    // A call admitted before the circuit opened says nothing new about an open circuit.
    if (this.state !== 'closed') return;
    this.counts.add('calls');
    if (failed) this.counts.add('failures');
    const calls = this.counts.sum('calls');
    if (calls >= this.options.minCalls && this.counts.sum('failures') >= this.options.failureRatio * calls) this.open();
  }

  /** The call was never made (its deadline passed while it queued): it tells nothing. */
  abandon(permit: CallPermit): void {
    if (permit.probe) this.probeInFlight = false;
  }

  private open(): void {
    this.openedAtMs = this.clock();
    this.moveTo('open');
  }

  private close(): void {
    // The failures that opened the circuit are history: start counting afresh.
    this.counts.clear();
    this.moveTo('closed');
  }

  private moveTo(state: CircuitState): void {
    const changed = state !== this.state;
    this.state = state;
    if (changed) this.onChange(state);
  }
}

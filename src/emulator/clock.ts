/**
 * The emulated "now": a fixed instant, a caller's clock, or the real time. It decides which
 * ledger dates are closed and how much of the open date exists.
 */
export class Clock {
  private fixed: number | null = null;

  constructor(private readonly source: () => number) {}

  static from(now: string | (() => Date) | undefined): Clock {
    if (typeof now === 'function') return new Clock(() => now().getTime());
    const clock = new Clock(() => Date.now());
    if (now !== undefined) clock.set(now);
    return clock;
  }

  now(): number {
    return this.fixed ?? this.source();
  }

  /** Stands the clock still at the given ISO instant. */
  set(iso: string): void {
    const ms = Date.parse(iso);
    if (!Number.isFinite(ms)) throw new Error(`not an ISO time: ${iso}`);
    this.fixed = ms;
  }
}

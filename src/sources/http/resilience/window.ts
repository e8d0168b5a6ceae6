/**
 * Counts over a sliding time window, kept in a ring of fixed buckets so that recording and
 * reading cost the same at any traffic. The retry budget and the circuit breaker both look at
 * "the last few seconds" through one of these.
 */

export class SlidingCounts<Name extends string> {
  private readonly bucketMs: number;
  private readonly buckets: Array<{ start: number; counts: Map<Name, number> }>;

  constructor(
    private readonly windowMs: number,
    private readonly clock: () => number,
    bucketCount = 10,
  ) {
    this.bucketMs = Math.max(1, Math.ceil(windowMs / bucketCount));
    this.buckets = Array.from({ length: bucketCount }, () => ({ start: -Infinity, counts: new Map<Name, number>() }));
  }

  add(name: Name, by = 1): void {
    const bucket = this.current();
    bucket.counts.set(name, (bucket.counts.get(name) ?? 0) + by);
  }

  /** The total of `name` over the window. */
  sum(name: Name): number {
    const oldest = this.clock() - this.windowMs;
    let total = 0;
    for (const bucket of this.buckets) {
      if (bucket.start > oldest) total += bucket.counts.get(name) ?? 0;
    }
    return total;
  }

  clear(): void {
    for (const bucket of this.buckets) {
      bucket.start = -Infinity;
      bucket.counts.clear();
    }
  }

  private current(): { start: number; counts: Map<Name, number> } {
    const now = this.clock();
    const start = now - (now % this.bucketMs);
    const slot = Math.floor(now / this.bucketMs) % this.buckets.length;
    const bucket = this.buckets[slot];
    if (bucket === undefined) throw new Error('bucket index out of range');
    if (bucket.start !== start) {
      bucket.start = start;
      bucket.counts.clear();
    }
    return bucket;
  }
}

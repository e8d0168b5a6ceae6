/**
 * A least-recently-used map bounded by a total weight (entries, or bytes of serialised pages),
 * so memory stays flat however much history is read.
 */
export class Lru<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(
    private readonly capacity: number,
    private readonly weigh: (value: V) => number = () => 1,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    // Re-insert so Map iteration order doubles as recency order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.total -= previous.weight;
      this.entries.delete(key);
    }
    const weight = this.weigh(value);
    if (weight > this.capacity) return;
    this.entries.set(key, { value, weight });
    this.total += weight;
    for (const [oldestKey, oldest] of this.entries) {
      if (this.total <= this.capacity) break;
      this.entries.delete(oldestKey);
      this.total -= oldest.weight;
    }
  }

  /** Returns the cached value or computes, stores and returns it. */
  getOrCreate(key: K, create: () => V): V {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const value = create();
    this.set(key, value);
    return value;
  }
}

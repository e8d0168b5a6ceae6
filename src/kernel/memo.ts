/**
 * Remembering what was already worked out. Two shapes cover every use in the gateway: an entry
 * of a map made on first use (per request, per decoded date, per sale), and the answers of a
 * pure function of a string, bounded so that a stream of odd inputs cannot grow them.
 */

/** The entry of `map` (a Map or WeakMap) under `key`, made by `create` on first use. */
export function entryOf<Key, Value>(
  map: { get(key: Key): Value | undefined; set(key: Key, value: Value): unknown },
  key: Key,
  create: () => Value,
): Value {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/**
 * Answers of a pure function, by key. Forgotten wholesale when full: cheaper than an LRU's
 * bookkeeping for answers that cost a few microseconds to compute again.
 */
export class Remembered<T> {
  readonly #answers = new Map<string, T>();

  constructor(private readonly limit: number) {}

  get(key: string, compute: () => T): T {
    const known = this.#answers.get(key);
    if (known !== undefined) return known;
    const answer = compute();
    if (this.#answers.size >= this.limit) this.#answers.clear();
    this.#answers.set(key, answer);
    return answer;
  }
}

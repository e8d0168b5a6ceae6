/**
 * Exact sums of integer minor units. Upstream amounts are safe integers, but a sum of many of
 * them need not be: beyond 2^53 − 1 a JavaScript number silently rounds. Every step is checked,
 * so a total is either exact or an error, never a rounding.
 */

/**
 * A sum beyond ±(2^53 − 1) minor units: it cannot be served exactly as a JSON number, so it is
 * an error the caller is told about (code `SUM_OUT_OF_RANGE`, naming the field), never a rounding.
 */
export class SumOutOfRangeError extends RangeError {
  override readonly name = 'SumOutOfRangeError';

  constructor(
    readonly total: number,
    readonly amount: number,
  ) {
    super(`a sum of ${total} + ${amount} minor units is beyond ±(2^53 − 1), the most an amount can be exactly`);
  }
}

export function addExact(total: number, amount: number): number {
  const sum = total + amount;
  if (!Number.isSafeInteger(sum)) throw new SumOutOfRangeError(total, amount);
  return sum;
}

export function sumExact<Item>(items: Iterable<Item>, amountOf: (item: Item) => number): number {
  let total = 0;
  for (const item of items) total = addExact(total, amountOf(item));
  return total;
}

/** A count and an exact amount: how bookkeeping summarises any group of entries. */
export interface Tally {
  count: number;
  amount: number;
}

export const emptyTally = (): Tally => ({ count: 0, amount: 0 });

export function addToTally(tally: Tally, amount: number): void {
  tally.count += 1;
  tally.amount = addExact(tally.amount, amount);
}

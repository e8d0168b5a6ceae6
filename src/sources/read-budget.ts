/**
 * What one request may read upstream: a fixed number of distinct reads (a whole date of one
 * account, or one lookup), charged by the request's loaders as they read, whatever field asked.
 * A read seen before is free (the loaders hold it). The static cost estimate refuses most
 * documents that would pass this before they run; this stops what it could not foresee.
 */

export const maxDateReadsPerRequest = 400;

export class ReadBudget {
  readonly #seen = new Set<string>();

  constructor(readonly limit: number = maxDateReadsPerRequest) {}

  /** False when this read would go over the limit. */
  charge(key: string): boolean {
    if (this.#seen.has(key)) return true;
    if (this.#seen.size >= this.limit) return false;
    this.#seen.add(key);
    return true;
  }

  get used(): number {
    return this.#seen.size;
  }
}

/** What a read past the budget fails with; answered with the code `COST_LIMIT_EXCEEDED`. */
export class ReadBudgetExceededError extends Error {
  constructor(readonly limit: number) {
    super(`This request reads more than ${limit} ledger dates and lookups upstream (per ledger and account); ask for fewer ledgers, shorter ranges or smaller pages per request.`);
    this.name = 'ReadBudgetExceededError';
  }
}

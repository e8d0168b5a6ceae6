/**
 * How long what one request read stays true, for the whole-answer cache: the weakest of every
 * read decides. A closed Report date (and a Sales date whose Report date was closed before it was
 * read) never changes; the ledger list is read again now and then, because grants and ledger
 * details change; an open date, a feed, a lookup, the mirror, or a field that answers about
 * "now" can change at any time.
 */
export type Lasting = 'for good' | 'briefly' | 'changing';

const strength: Record<Lasting, number> = { 'for good': 2, briefly: 1, changing: 0 };

/** The weakest lasting of a request's reads, with the first read that made it so. */
export class ReadLasting {
  #lasting: Lasting = 'for good';
  #because: string | null = null;

  /** Notes one read; `what` names it (for logs and tests). */
  note(lasting: Lasting, what: string): void {
    if (strength[lasting] >= strength[this.#lasting]) return;
    this.#lasting = lasting;
    this.#because = what;
  }

  get lasting(): Lasting {
    return this.#lasting;
  }

  /** The read that made the answer no longer last for good; null while it does. */
  get because(): string | null {
    return this.#because;
  }
}

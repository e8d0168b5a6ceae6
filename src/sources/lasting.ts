/**
 * How long what one request read stays true, for the whole-answer cache: the weakest of every
 * read decides. A closed Report date (and a Sales date whose Report date was closed before it was
 * read) never changes; an open date, a feed, a lookup, the mirror, or a field that answers about
 * "now" can change at any time. Nothing in between.
 *
 * The ledger list is outside this scale: grants and ledger details change, but what an answer
 * read of it is read again for every request the answer would serve, so the answer lasts as long
 * as those ledgers read the same (`listed`).
 */
export type Lasting = 'for good' | 'changing';

/** What of the ledger list a request read: the whole visible list, or these ledgers of it. */
export type Listed = '*' | ReadonlySet<string>;

/** The weakest lasting of a request's reads, with the first read that made it so. */
export class ReadLasting {
  #lasting: Lasting = 'for good';
  #because: string | null = null;
  #listed: '*' | Set<string> | null = null;

  /** Notes one read; `what` names it (for logs and tests). */
  note(lasting: Lasting, what: string): void {
    if (lasting === 'for good' || this.#lasting === 'changing') return;
    this.#lasting = lasting;
    this.#because = what;
  }

  /** Notes a read of the ledger list: all of it (`'*'`), or the rows of these ledgers. */
  list(ledgerIds: '*' | readonly string[]): void {
    if (this.#listed === '*') return;
    if (ledgerIds === '*') {
      this.#listed = '*';
      return;
    }
    this.#listed ??= new Set();
    for (const ledgerId of ledgerIds) this.#listed.add(ledgerId);
  }

  get lasting(): Lasting {
    return this.#lasting;
  }

  /** The read that made the answer no longer last for good; null while it does. */
  get because(): string | null {
    return this.#because;
  }

  /** What of the ledger list was read; null when nothing. */
  get listed(): Listed | null {
    return this.#listed;
  }
}

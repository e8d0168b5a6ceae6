import type { ReportEntry } from '../sources/report/models.ts';
import type { SalesEntry } from '../sources/sales/models.ts';
import { grossOf } from './vat.ts';

/**
 * The Sales API entry a Report capture or refund books. They share the pspReference, but a
 * capture refunded in parts has several refunds under it: the match is by pspReference, entry
 * type and amount, each sale used once, in upstream order.
 */
export class SalesMatcher {
  readonly #byPspReference = new Map<string, SalesEntry[]>();
  readonly #used = new Set<SalesEntry>();

  constructor(entries: Iterable<SalesEntry>) {
    for (const entry of entries) {
      if (entry.pspReference === null) continue;
      const list = this.#byPspReference.get(entry.pspReference);
      if (list === undefined) this.#byPspReference.set(entry.pspReference, [entry]);
      else list.push(entry);
    }
  }

  /** The sale of this entry not matched before; null when there is none (no Sales data, or another amount). */
  match(entry: ReportEntry, entryType: 'capture' | 'refund'): SalesEntry | null {
    if (entry.pspReference == null) return null;
    const amount = Math.abs(entry.amount);
    const sale = this.#byPspReference
      .get(entry.pspReference)
      ?.find((candidate) => !this.#used.has(candidate) && candidate.entryType === entryType && Math.abs(grossOf(candidate)) === amount);
    if (sale === undefined) return null;
    this.#used.add(sale);
    return sale;
  }
}

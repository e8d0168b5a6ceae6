import { salesDatesOfTime } from '../../kernel/booking-window.ts';
import { money, MoneyShape } from '../../kernel/money.ts';
import type { ReportEntry, Topic } from '../../sources/report/models.ts';
import type { SalesEntry } from '../../sources/sales/models.ts';

/**
 * A Sales API entry and where it was found, which decides where its money movements are looked
 * for. The entry's own fields are getters, not resolvers, so that graphql-jit reads them inline
 * (see `MoneyShape`).
 */
export class SaleShape {
  constructor(
    readonly ledgerId: string,
    readonly entry: SalesEntry,
    /**
     * The Sales ledger dates the entry can be listed under, most likely first: exactly the one it
     * was read from, or, for a single lookup, dates inferred from its time (see `saleFromLookup`).
     */
    readonly salesDates: string[],
  ) {}

  get entryType(): string {
    return this.entry.entryType;
  }
  get time(): string {
    return this.entry.time;
  }
  get orderDate(): string | null {
    return this.entry.orderDate;
  }
  get reference(): string {
    return this.entry.reference;
  }
  get pspReference(): string | null {
    return this.entry.pspReference;
  }
  get currency(): string {
    return this.entry.currency;
  }
  get rawPaymentType(): string | null {
    return this.entry.paymentType;
  }
  get rawSolution(): string | null {
    return this.entry.classification.solution;
  }
  get salesCategory(): string | null {
    return this.entry.classification.salesCategory;
  }
  get gross(): MoneyShape | null {
    return money(this.entry.amounts.gross, this.entry.currency);
  }
  get net(): MoneyShape | null {
    return money(this.entry.amounts.net, this.entry.currency);
  }
  get vat(): MoneyShape | null {
    return money(this.entry.amounts.vat, this.entry.currency);
  }
}

/**
 * A Report API entry with the ledger and account it belongs to. The entry's own fields are
 * getters, not resolvers, so that graphql-jit reads them inline (see `MoneyShape`): a ledger
 * day serves hundreds of movements.
 */
export class MoneyMovementShape {
  constructor(
    readonly ledgerId: string,
    readonly topic: Topic,
    readonly entry: ReportEntry,
  ) {}

  get entryType(): string {
    return this.entry.entryType;
  }
  get time(): string {
    return this.entry.time;
  }
  get ledgerDate(): string {
    return this.entry.ledgerDate;
  }
  get reference(): string | null {
    return this.entry.reference ?? null;
  }
  get pspReference(): string | null {
    return this.entry.pspReference ?? null;
  }
  get recipientHandle(): string | null {
    return this.entry.recipientHandle ?? null;
  }
  get amount(): MoneyShape {
    return new MoneyShape(this.entry.amount, this.entry.currency);
  }
  get balanceBefore(): MoneyShape {
    return new MoneyShape(this.entry.balanceBefore, this.entry.currency);
  }
  get balanceAfter(): MoneyShape {
    return new MoneyShape(this.entry.balanceAfter, this.entry.currency);
  }
}

export function saleOnDate(ledgerId: string, salesDate: string, entry: SalesEntry): SaleShape {
  return new SaleShape(ledgerId, entry, [salesDate]);
}

/** A sale from a single lookup comes without its ledger date: it is inferred from its time. */
export function saleFromLookup(ledgerId: string, entry: SalesEntry): SaleShape {
  return new SaleShape(ledgerId, entry, salesDatesOfTime(entry.time, entry.currency));
}

/** What a search is for: one pspReference, or one order reference, of what was sold from `from` to `to`. */
export interface MoneySubject {
  ledgerId: string;
  from: string;
  to: string;
  key: { pspReference: string } | { reference: string };
}

/** What a search for a sale's money looks for: its pspReference, from the earliest of its possible dates. Null for cash. */
export function saleSubject(sale: SaleShape): MoneySubject | null {
  const { pspReference } = sale.entry;
  if (pspReference === null) return null;
  // A sale of a page has its one date: no copy to sort.
  const dates = sale.salesDates.length === 1 ? sale.salesDates : [...sale.salesDates].sort();
  return { ledgerId: sale.ledgerId, from: dates[0] ?? '', to: dates.at(-1) ?? '', key: { pspReference } };
}

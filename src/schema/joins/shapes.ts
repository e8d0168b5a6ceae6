import { salesDatesOfTime } from '../../kernel/booking-window.ts';
import { entryOf } from '../../kernel/memo.ts';
import { basisPointsToPercent, money, MoneyShape } from '../../kernel/money.ts';
import type { ReportEntry, Topic } from '../../sources/report/models.ts';
import type { SalesEntry, SalesLine } from '../../sources/sales/models.ts';

/*
 * The shapes the graph serves upstream entries in. A closed date is the same decoded object for
 * every request that reads it (the clients' local layer), so the shapes of its entries are made
 * on its first request and kept with it (`salesOfDate`, `movementShapesOf`), and each amount,
 * decimal string, order line and search subject on its first read. Made for every request, they
 * were about a quarter of what a ledger-day answer allocated, and garbage collection was the
 * largest cost the gateway had beyond its stack's own (docs/performance.md). A shape holds
 * nothing of the request or caller that made it: what a request found for a sale is kept in
 * the request's own search memo (history.ts), keyed by the shape.
 */

/**
 * A Sales API entry and where it was found, which decides where its money movements are looked
 * for. The entry's own fields are getters, not resolvers, so that graphql-jit reads them inline
 * (see `MoneyShape`).
 */
export class SaleShape {
  #gross: MoneyShape | null | undefined;
  #net: MoneyShape | null | undefined;
  #vat: MoneyShape | null | undefined;
  #orderLines: OrderLineShape[] | undefined;
  #subject: MoneySubject | null | undefined;

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
    return (this.#gross ??= money(this.entry.amounts.gross, this.entry.currency));
  }
  get net(): MoneyShape | null {
    return (this.#net ??= money(this.entry.amounts.net, this.entry.currency));
  }
  get vat(): MoneyShape | null {
    return (this.#vat ??= money(this.entry.amounts.vat, this.entry.currency));
  }
  get orderLines(): OrderLineShape[] {
    return (this.#orderLines ??= this.entry.lines.map((line) => new OrderLineShape(line, this.entry.currency)));
  }
  /** What a search for its money looks for: its pspReference, from the earliest of its possible dates; null for cash. Worked out once. */
  get subject(): MoneySubject | null {
    if (this.#subject === undefined) {
      const { pspReference } = this.entry;
      // A sale of a page has its one date: no copy to sort.
      const dates = this.salesDates.length === 1 ? this.salesDates : [...this.salesDates].sort();
      this.#subject = pspReference === null ? null : { ledgerId: this.ledgerId, from: dates[0] ?? '', to: dates.at(-1) ?? '', key: { pspReference } };
    }
    return this.#subject;
  }
}

/** An order line as the graph serves it, its fields read inline like a sale's. */
export class OrderLineShape {
  #unitPriceGross: MoneyShape | null | undefined;
  #unitPriceNet: MoneyShape | null | undefined;
  #discount: MoneyShape | null | undefined;
  #lineTotalGross: MoneyShape | null | undefined;
  #lineTotalNet: MoneyShape | null | undefined;
  #vatAmount: MoneyShape | null | undefined;
  #vatRate: VatRateShape | null | undefined;

  constructor(
    readonly line: SalesLine,
    /** Lines carry no currency of their own: it is the sale's. */
    readonly currency: string,
  ) {}

  get lineId(): string {
    return this.line.lineId;
  }
  get name(): string {
    return this.line.name;
  }
  get quantity(): number {
    return this.line.quantity;
  }
  get unitPriceGross(): MoneyShape | null {
    return (this.#unitPriceGross ??= money(this.line.unitPriceGross, this.currency));
  }
  get unitPriceNet(): MoneyShape | null {
    return (this.#unitPriceNet ??= money(this.line.unitPriceNet, this.currency));
  }
  get discount(): MoneyShape | null {
    return (this.#discount ??= money(this.line.discountTotal, this.currency));
  }
  get lineTotalGross(): MoneyShape | null {
    return (this.#lineTotalGross ??= money(this.line.lineTotalGross, this.currency));
  }
  get lineTotalNet(): MoneyShape | null {
    return (this.#lineTotalNet ??= money(this.line.lineTotalNet, this.currency));
  }
  get vatAmount(): MoneyShape | null {
    return (this.#vatAmount ??= money(this.line.vatAmount, this.currency));
  }
  get vatRate(): VatRateShape | null {
    return (this.#vatRate ??= this.line.vatRate === null ? null : new VatRateShape(this.line.vatRate));
  }
  get category(): string | null {
    return this.line.category;
  }
}

/** A line's VAT rate as the graph serves it. */
export class VatRateShape {
  #percent: string | undefined;

  constructor(readonly basisPoints: number) {}

  get percent(): string {
    return (this.#percent ??= basisPointsToPercent(this.basisPoints));
  }
}

/**
 * A Report API entry with the ledger and account it belongs to. The entry's own fields are
 * getters, not resolvers, so that graphql-jit reads them inline (see `MoneyShape`): a ledger
 * day serves hundreds of movements.
 */
export class MoneyMovementShape {
  #amount: MoneyShape | undefined;
  #balanceBefore: MoneyShape | undefined;
  #balanceAfter: MoneyShape | undefined;

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
    return (this.#amount ??= new MoneyShape(this.entry.amount, this.entry.currency));
  }
  get balanceBefore(): MoneyShape {
    return (this.#balanceBefore ??= new MoneyShape(this.entry.balanceBefore, this.entry.currency));
  }
  get balanceAfter(): MoneyShape {
    return (this.#balanceAfter ??= new MoneyShape(this.entry.balanceAfter, this.entry.currency));
  }
}

export function saleOnDate(ledgerId: string, salesDate: string, entry: SalesEntry): SaleShape {
  return new SaleShape(ledgerId, entry, [salesDate]);
}

/** What shapes were made of: a decoded list belongs to one ledger and date, which is checked rather than trusted. */
interface Made<T> {
  ledgerId: string;
  of: string;
  shapes: readonly T[];
}

const salesOfDates = new WeakMap<readonly SalesEntry[], Made<SaleShape>>();

/** The sales of a decoded Sales date, made once for as long as the date is held. */
export function salesOfDate(ledgerId: string, salesDate: string, entries: readonly SalesEntry[]): readonly SaleShape[] {
  return madeOnce(salesOfDates, entries, ledgerId, salesDate, (entry) => saleOnDate(ledgerId, salesDate, entry));
}

const movementsOfEntries = new WeakMap<readonly ReportEntry[], Made<MoneyMovementShape>>();

/** Entries of a decoded Report date (all of it, or those of one key in its index), made once for as long as the date is held. */
export function movementShapesOf(ledgerId: string, topic: Topic, entries: readonly ReportEntry[]): readonly MoneyMovementShape[] {
  if (entries.length === 0) return [];
  return madeOnce(movementsOfEntries, entries, ledgerId, topic, (entry) => new MoneyMovementShape(ledgerId, topic, entry));
}

function madeOnce<Entry extends object, Shape>(
  made: WeakMap<readonly Entry[], Made<Shape>>,
  entries: readonly Entry[],
  ledgerId: string,
  of: string,
  shape: (entry: Entry) => Shape,
): readonly Shape[] {
  const known = entryOf(made, entries, () => ({ ledgerId, of, shapes: entries.map(shape) }));
  return known.ledgerId === ledgerId && known.of === of ? known.shapes : entries.map(shape);
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

import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isInterfaceType,
  isObjectType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { bookingLagDays } from '../kernel/booking-window.ts';
import { daysBetween, isIsoDate } from '../kernel/calendar.ts';
import { maxRangeDays } from '../bookkeeping/ranges.ts';
import { defaultPageSize, maxPageSize } from './pagination.ts';

/**
 * What a document will cost upstream, estimated before anything runs, in the unit of the
 * runtime budget: distinct upstream reads, each a whole ledger date of one account (funds, fees
 * or sales) or one lookup (a sale or an order by its reference). An upper bound on purpose:
 * every field counts as if nothing else in the document read the same dates.
 *
 * Objects listed together share the dates they join on through the request's loaders, so a
 * page of one date's sales costs its join dates once, not once per sale. A lookup is made per
 * object, so it costs once per item of every list around it (`readsPerItem`, with each list's
 * size from `lists`). A list of different ledgers (`Query.ledgers`) multiplies everything
 * below it, by its page size.
 *
 * Each field that causes upstream reads says so where it is defined, with `costOf(rule)` in
 * its `extensions`; a field without one reads nothing itself (it is computed from what its
 * parent already read, or from the cached ledger list).
 */

/** `payers`: the funds dates read again with payers' personal data, a read of their own. */
export type Account = 'funds' | 'fees' | 'sales' | 'payers';

/** A sale or movement joins on its own date and the next (captures past the cut-off). */
export const joinDates = 1 + bookingLagDays;

/**
 * How long lists without a page size can be, for what they multiply: a sale's own entries
 * (capture or refund, disputes, fees and their corrections), an order's sales and entries, and
 * lists as long as a ledger date (a reconciliation's sales, a payout's movements).
 */
export const listBounds = { movementsPerSale: 8, salesPerOrder: 20, movementsPerOrder: 40, perDate: maxPageSize } as const;

/**
 * With a feed mirror, the Report dates of a range that upstream has closed come from Redis; only
 * the newest ones, which the sync may not have stored whole yet, are read upstream: the open
 * date and the one before it.
 */
export const mirrorTailDates = 2;

class Bill {
  readonly byPath = new Map<string, number>();
  /** What a field says to do instead when it is what makes a document too costly. */
  readonly advice = new Map<string, string>();

  add(path: string, reads: number): void {
    if (reads > 0) this.byPath.set(path, (this.byPath.get(path) ?? 0) + reads);
  }
}

/** Dates that the objects below one field read together, each account charged once. */
class SharedDates {
  readonly #charged = new Set<Account>();

  constructor(
    readonly dates: number,
    readonly owner: string,
    readonly multiplier: number,
    /** The dates of the Report accounts (funds, fees) read upstream, when fewer (the mirror holds the rest). */
    readonly reportDates: number = dates,
  ) {}

  charge(bill: Bill, accounts: readonly Account[], extra = 0): void {
    const sales = accounts.filter((account) => account === 'sales');
    const report = accounts.filter((account) => account !== 'sales');
    this.chargeSpan(bill, sales, this.dates, extra);
    this.chargeSpan(bill, report, this.reportDates);
  }

  /** Charges `dates` dates on each account not charged yet (the first field to ask sets the span). */
  chargeSpan(bill: Bill, accounts: readonly Account[], dates: number, extra = 0): void {
    const fresh = accounts.filter((account) => !this.#charged.has(account));
    for (const account of fresh) this.#charged.add(account);
    bill.add(this.owner, (fresh.length * dates + extra) * this.multiplier);
  }
}

/** Where a field sits: how many ledgers' worth of it, and the dates the objects around it share. */
interface Place {
  path: string;
  /** Whether a feed mirror serves closed Report dates (see `mirrorTailDates`). */
  mirrored: boolean;
  multiplier: number;
  /** How many objects of this level one ledger's worth can hold (the product of the lists around it). */
  items: number;
  /** The books (`LedgerDay`, `LedgerPeriod`) being read. */
  books?: SharedDates;
  /** What the payouts being read cover. */
  payouts?: SharedDates;
  /** The dates sales and movements being read join on. */
  joins?: SharedDates;
  /** The dates their histories spread over (see `chargeHistory`). */
  history?: SharedDates;
}

/** What a field's cost rule sees and says: its arguments, its own reads, and what the objects below share. */
export class CostScope {
  readonly #below: Partial<Place> = {};

  constructor(
    readonly args: Record<string, unknown>,
    private readonly place: Place,
    private readonly bill: Bill,
  ) {}

  /** Reads this field makes itself. */
  reads(dates: number): void {
    this.bill.add(this.place.path, dates * this.place.multiplier);
  }

  /** Reads this field makes once per item of the lists around it (lookups). */
  readsPerItem(count: number): void {
    this.bill.add(this.place.path, count * this.place.items * this.place.multiplier);
  }

  /** The objects below belong to `count` different ledgers: what they read multiplies. */
  multiplies(count: number): void {
    this.#below.multiplier = this.place.multiplier * count;
  }

  /** The field is a list of up to `count` objects: what they read per item multiplies. */
  lists(count: number): void {
    this.#below.items = this.place.items * count;
  }

  /** The sales and movements below join on `dates` dates, each account charged once for all of them. */
  joinsOn(dates: number): void {
    this.#below.joins = this.#shared(dates);
    this.#below.history = this.#shared(dates);
  }

  /** The books below cover `dates` dates, of which `reportDates` are read upstream on the Report accounts. */
  booksOn(dates: number, reportDates = dates): void {
    this.#below.books = this.#shared(dates, reportDates);
  }

  /** The payouts below are rebuilt from `dates` dates, of which `reportDates` are read upstream on the Report accounts. */
  payoutsOn(dates: number, reportDates = dates): void {
    this.#below.payouts = this.#shared(dates, reportDates);
  }

  /** How many of `dates` Report dates a field that reads through the mirror first reads upstream. */
  upstreamReportDates(dates: number): number {
    return this.place.mirrored ? Math.min(dates, mirrorTailDates) : dates;
  }

  /** Whether closed Report dates come from a feed mirror. */
  get mirrored(): boolean {
    return this.place.mirrored;
  }

  /** What to do instead, said in the refusal when this field makes the document too costly. */
  advise(advice: string): void {
    this.bill.advice.set(this.place.path, advice);
  }

  /** How many dates the books around this field cover (1 outside any). */
  get booksDates(): number {
    return this.place.books?.dates ?? 1;
  }

  /** How many dates the payouts around this field are rebuilt from (1 outside any). */
  get payoutDates(): number {
    return this.place.payouts?.dates ?? 1;
  }

  /** Charges the books' dates on these accounts (once per account for the whole books). */
  chargeBooks(accounts: readonly Account[]): void {
    this.place.books?.charge(this.bill, accounts);
  }

  /** Charges the payouts' dates on these accounts, plus `extra` single reads. */
  chargePayouts(accounts: readonly Account[], extra = 0): void {
    this.place.payouts?.charge(this.bill, accounts, extra);
  }

  /** Charges the join dates the objects around share, or `dates` of its own outside any list. */
  chargeJoins(accounts: readonly Account[], dates = joinDates): void {
    (this.place.joins ?? this.#shared(dates)).charge(this.bill, accounts);
  }

  /**
   * Charges the history window of the sales or orders around: the dates they join on, spread by a
   * window of `days` more, once per account for all of them (or of its own outside any list).
   */
  chargeHistory(accounts: readonly Account[], days: number): void {
    const spread = (this.place.joins?.dates ?? joinDates) - joinDates;
    (this.place.history ?? this.#shared(0)).chargeSpan(this.bill, accounts, spread + days);
  }

  /** The place of the fields below. */
  below(): Place {
    return { ...this.place, ...this.#below };
  }

  #shared(dates: number, reportDates = dates): SharedDates {
    return new SharedDates(dates, this.place.path, this.place.multiplier, reportDates);
  }
}

export type CostRule = (scope: CostScope) => void;

/** `extensions: costOf(rule)` on a field that reads upstream. */
export function costOf(rule: CostRule): { readCost: CostRule } {
  return { readCost: rule };
}

function ruleOf(field: GraphQLField<unknown, unknown>): CostRule | undefined {
  const rule = field.extensions?.readCost;
  return typeof rule === 'function' ? (rule as CostRule) : undefined;
}

/**
 * The dates of a range argument, counted as the range check will see them: a range it refuses
 * (backwards, or longer than `maxRangeDays`) reads nothing, and is counted as one date so that
 * the refusal names the argument rather than the cost.
 */
export function rangeDays(args: Record<string, unknown>): number {
  const { from, to } = args;
  if (typeof from !== 'string' || typeof to !== 'string' || !isIsoDate(from) || !isIsoDate(to)) return maxRangeDays;
  const span = daysBetween(from, to) + 1;
  return span < 1 || span > maxRangeDays ? 1 : span;
}

/** The page size a connection's arguments ask for, as paging will clamp it. */
export function pageSize(args: Record<string, unknown>): number {
  const asked = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : defaultPageSize;
  return Math.min(maxPageSize, Math.max(0, asked));
}

export interface CostEstimate {
  cost: number;
  /** The response path (aliases as sent) that the most reads are charged to; null when none are. */
  costliestPath: string | null;
  costliestReads: number;
  /** What the costliest field says to do instead; null when it says nothing. */
  advice: string | null;
}

export interface CostOptions {
  /** A feed mirror serves closed Report dates to the fields that read through it. */
  mirrored?: boolean;
}

/**
 * Estimates an operation whose variables are already coerced. Throws what graphql's own
 * argument coercion throws; execution then answers that error itself.
 */
export function estimateCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  options: CostOptions = {},
): CostEstimate {
  const bill = new Bill();
  const included = (node: Parameters<typeof getDirectiveValues>[1]) =>
    getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;

  const walk = (selectionSet: SelectionSetNode, type: GraphQLNamedType, place: Place, visiting: ReadonlySet<string>): void => {
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        if (!(isObjectType(type) || isInterfaceType(type))) continue;
        const definition = type.getFields()[selection.name.value];
        if (definition === undefined) continue;
        const name = (selection.alias ?? selection.name).value;
        const here: Place = { ...place, path: place.path === '' ? name : `${place.path}.${name}` };
        const rule = ruleOf(definition);
        let below = here;
        if (rule !== undefined) {
          const scope = new CostScope(getArgumentValues(definition, selection, variables), here, bill);
          rule(scope);
          below = scope.below();
        }
        if (selection.selectionSet) walk(selection.selectionSet, getNamedType(definition.type), below, visiting);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        walk(selection.selectionSet, condition ?? type, place, visiting);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (fragment === undefined || visiting.has(name)) continue;
        walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? type, place, new Set([...visiting, name]));
      }
    }
  };

  const root = schema.getRootType(operation.operation);
  if (root) walk(operation.selectionSet, root, { path: '', mirrored: options.mirrored ?? false, multiplier: 1, items: 1 }, new Set());
  let cost = 0;
  let costliest: [string, number] | null = null;
  for (const [path, reads] of bill.byPath) {
    cost += reads;
    if (costliest === null || reads > costliest[1]) costliest = [path, reads];
  }
  const costliestPath = costliest?.[0] ?? null;
  const advice = costliestPath === null ? null : (bill.advice.get(costliestPath) ?? null);
  return { cost, costliestPath, costliestReads: costliest?.[1] ?? 0, advice };
}

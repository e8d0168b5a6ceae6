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
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { payoutPeriodWindowDays, payoutSearchWindowDays } from '../bookkeeping/payouts.ts';
import { maxRangeDays } from '../bookkeeping/ranges.ts';
import { bookingLagDays } from '../kernel/booking-window.ts';
import { daysBetween, isIsoDate } from '../kernel/calendar.ts';
import { defaultPageSize, maxPageSize } from './pagination.ts';

/**
 * What a document will cost upstream, estimated before anything runs, in the unit of the
 * runtime budget: whole ledger dates read on one account (funds, fees or sales). An upper bound
 * on purpose: every field counts as if nothing else in the document read the same dates.
 *
 * Objects listed together share the dates they join on through the request's loaders, so a
 * page of one date's sales costs its join dates once, not once per sale. Only a list of
 * different ledgers (`Query.ledgers`) multiplies what is below it, by its page size.
 */

type Account = 'funds' | 'fees' | 'sales';

/** Dates that the objects below one field read together, each account charged once. */
class SharedDates {
  readonly #charged = new Set<Account>();

  constructor(
    readonly dates: number,
    readonly owner: string,
    readonly multiplier: number,
  ) {}

  charge(bill: Bill, accounts: readonly Account[], extra = 0): void {
    const fresh = accounts.filter((account) => !this.#charged.has(account));
    for (const account of fresh) this.#charged.add(account);
    bill.add(this.owner, (fresh.length * this.dates + extra) * this.multiplier);
  }
}

class Bill {
  readonly byPath = new Map<string, number>();

  add(path: string, reads: number): void {
    if (reads > 0) this.byPath.set(path, (this.byPath.get(path) ?? 0) + reads);
  }
}

/** Where a field sits: how many ledgers' worth of it, and the dates its joins share. */
interface Place {
  path: string;
  multiplier: number;
  /** The books (`LedgerDay`, `LedgerPeriod`) being read. */
  books?: SharedDates;
  /** What the payouts being read cover: the previous one is looked for this many dates back. */
  payout?: SharedDates;
  /** The dates sales and movements being read join on. */
  joins?: SharedDates;
}

type Args = Record<string, unknown>;
type Rule = (args: Args, place: Place, bill: Bill) => Partial<Place> | void;

/** The dates of a range argument, counted as the range check will see them (at most 31). */
function rangeDays(args: Args): number {
  const { from, to } = args;
  if (typeof from !== 'string' || typeof to !== 'string' || !isIsoDate(from) || !isIsoDate(to)) return maxRangeDays;
  return Math.min(maxRangeDays, Math.max(1, daysBetween(from, to) + 1));
}

function pageSize(args: Args): number {
  const asked = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : defaultPageSize;
  return Math.min(maxPageSize, Math.max(0, asked));
}

const shared = (place: Place, dates: number) => new SharedDates(dates, place.path, place.multiplier);
const own = (place: Place, bill: Bill, reads: number) => bill.add(place.path, reads * place.multiplier);
/** A sale or movement joins on its own date and the next (captures past the cut-off). */
const joinDates = 1 + bookingLagDays;
const booksAccounts = (place: Place, bill: Bill) => place.books?.charge(bill, ['funds', 'fees']);
const orFresh = (found: SharedDates | undefined, place: Place, dates: number) => found ?? shared(place, dates);

/**
 * The reads of each field that causes any, by `Type.field`. A field not listed reads nothing
 * itself (it is computed from what its parent already read, or from the cached ledger list).
 */
const rules: Record<string, Rule> = {
  'Query.ledgers': (args, place) => ({ multiplier: place.multiplier * pageSize(args) }),
  'Query.sale': (_args, place, bill) => (own(place, bill, 1), { joins: shared(place, joinDates) }),
  'Query.order': (_args, place, bill) => (own(place, bill, 1), { joins: shared(place, 2 * joinDates) }),
  'Query.node': (_args, place, bill) => (own(place, bill, 1), { joins: shared(place, joinDates) }),

  'Ledger.day': (_args, place) => ({ books: shared(place, 1) }),
  'Ledger.period': (args, place) => ({ books: shared(place, rangeDays(args)) }),
  'Ledger.payouts': (args, place, bill) => {
    own(place, bill, rangeDays(args));
    return { payout: shared(place, rangeDays(args) + payoutPeriodWindowDays) };
  },
  'Ledger.payout': (_args, place, bill) => {
    own(place, bill, payoutSearchWindowDays);
    return { payout: shared(place, payoutPeriodWindowDays) };
  },
  // The date's funds and sales, the funds of the date after and the sales of the date before.
  'Ledger.reconciliation': (_args, place, bill) => (own(place, bill, 4), { joins: shared(place, joinDates) }),
  'Ledger.vatSummary': (args, place, bill) => {
    own(place, bill, rangeDays(args) + 1);
    return { joins: shared(place, rangeDays(args) + 1) };
  },
  'Ledger.sales': (_args, place, bill) => (own(place, bill, 1), { joins: shared(place, joinDates) }),
  'Ledger.moneyMovements': (_args, place, bill) => (own(place, bill, 1), { joins: shared(place, joinDates) }),

  'LedgerBooks.isClosed': (_args, place, bill) => booksAccounts(place, bill),
  'LedgerBooks.openingBalance': (_args, place, bill) => booksAccounts(place, bill),
  'LedgerBooks.closingBalance': (_args, place, bill) => booksAccounts(place, bill),
  'LedgerBooks.fundsAccount': (_args, place, bill) => booksAccounts(place, bill),
  'LedgerBooks.feesAccount': (_args, place, bill) => booksAccounts(place, bill),
  'LedgerBooks.movements': (_args, place, bill) => booksAccounts(place, bill),
  'LedgerBooks.sales': (_args, place, bill) => place.books?.charge(bill, ['sales']),
  'LedgerBooks.payouts': (_args, place, bill) => {
    booksAccounts(place, bill);
    return { payout: shared(place, (place.books?.dates ?? 1) + payoutPeriodWindowDays) };
  },
  'LedgerBooks.payout': (_args, place, bill) => {
    booksAccounts(place, bill);
    return { payout: shared(place, payoutPeriodWindowDays) };
  },

  'Payout.coveredDates': (_args, place, bill) => place.payout?.charge(bill, ['funds']),
  'Payout.isCoverageComplete': (_args, place, bill) => place.payout?.charge(bill, ['funds']),
  'Payout.openingBalance': (_args, place, bill) => place.payout?.charge(bill, ['funds']),
  'Payout.totals': (_args, place, bill) => place.payout?.charge(bill, ['funds']),
  'Payout.moneyMovements': (_args, place, bill) => {
    place.payout?.charge(bill, ['funds']);
    return { joins: shared(place, (place.payout?.dates ?? 1) + 1) };
  },
  // Reconciling reads the covered dates' funds and sales, plus one date either side.
  'Payout.sales': (_args, place, bill) => {
    place.payout?.charge(bill, ['funds', 'sales'], 2);
    return { joins: shared(place, (place.payout?.dates ?? 1) + 1) };
  },
  'Payout.reconciliation': (_args, place, bill) => {
    place.payout?.charge(bill, ['funds', 'sales'], 2);
    return { joins: shared(place, (place.payout?.dates ?? 1) + 1) };
  },
  'Payout.entry': (_args, place) => ({ joins: shared(place, joinDates) }),

  'Sale.captures': (_args, place, bill) => orFresh(place.joins, place, joinDates).charge(bill, ['funds']),
  'Sale.settlement': (_args, place, bill) => orFresh(place.joins, place, joinDates).charge(bill, ['funds']),
  'Sale.fees': (_args, place, bill) => orFresh(place.joins, place, joinDates).charge(bill, ['fees']),
  'Sale.moneyMovements': (_args, place, bill) => orFresh(place.joins, place, joinDates).charge(bill, ['funds', 'fees']),
  'Sale.order': (_args, place, bill) => (own(place, bill, 1), { joins: shared(place, 2 * joinDates) }),
  'Order.moneyMovements': (_args, place, bill) => orFresh(place.joins, place, 2 * joinDates).charge(bill, ['funds', 'fees']),
  'MoneyMovement.sale': (_args, place, bill) => orFresh(place.joins, place, joinDates).charge(bill, ['sales']),
};

/** `LedgerDay` and `LedgerPeriod` fields are the `LedgerBooks` interface's. */
const ruleFor = (typeName: string, field: string): Rule | undefined =>
  rules[`${typeName}.${field}`] ?? (typeName === 'LedgerDay' || typeName === 'LedgerPeriod' ? rules[`LedgerBooks.${field}`] : undefined);

export interface CostEstimate {
  cost: number;
  /** The response path (aliases as sent) that the most reads are charged to; null when none are. */
  costliestPath: string | null;
  costliestReads: number;
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
        const path = place.path === '' ? (selection.alias ?? selection.name).value : `${place.path}.${(selection.alias ?? selection.name).value}`;
        const here: Place = { ...place, path };
        const rule = ruleFor(type.name, selection.name.value);
        const below = rule ? rule(getArgumentValues(definition, selection, variables), here, bill) : undefined;
        if (selection.selectionSet) walk(selection.selectionSet, getNamedType(definition.type), { ...here, ...below }, visiting);
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
  if (root) walk(operation.selectionSet, root, { path: '', multiplier: 1 }, new Set());
  let cost = 0;
  let costliest: [string, number] | null = null;
  for (const [path, reads] of bill.byPath) {
    cost += reads;
    if (costliest === null || reads > costliest[1]) costliest = [path, reads];
  }
  return { cost, costliestPath: costliest?.[0] ?? null, costliestReads: costliest?.[1] ?? 0 };
}

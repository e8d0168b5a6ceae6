import { byCurrency, byOwner, bySalesUnit, groupBooks, type BooksGroup as BooksGroupData, type LedgerAccounts } from '../../bookkeeping/ledger-groups.ts';
import type { Ledger as LedgerShape } from '../../sources/report/models.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { costOf, rangeDays } from '../cost.ts';
import { badInput } from '../input-errors.ts';
import { checkedId, idForms } from '../inputs.ts';
import { checkedRange, narrowerRange, rangeArgs, rangeReader } from '../ledger-reads.ts';
import { GraphQLError } from 'graphql';
import { NotFoundError } from './errors.ts';
import { Ledger, visibleLedger } from './ledger.ts';
import { Money, MoneyShape } from './money.ts';
import { inCurrency, MovementTotals } from './movement-totals.ts';
import { Organization } from './organization.ts';

/**
 * The books of several ledgers of one caller at once (a chain's shops on one day), and of the
 * sales units inside one ledger, summed per currency, owner or sales unit. Every ledger is read
 * through the request's loaders, after `visibleLedger`, so a ledger outside the caller's grant
 * is answered exactly as an unknown one and reads nothing.
 */

/** How many ledgers one request may sum: each costs its own dates. */
export const maxLedgersAtOnce = 20;

/** Both accounts of each ledger over the dates, read once when a field first asks. */
class LedgersBooksShape {
  #accounts?: Promise<LedgerAccounts[]>;

  constructor(
    readonly ledgers: LedgerShape[],
    readonly dates: string[],
    readonly context: Context,
  ) {}

  accounts(): Promise<LedgerAccounts[]> {
    this.#accounts ??= Promise.all(
      this.ledgers.map(async (ledger) => {
        const reader = rangeReader(this.context, ledger.ledgerId);
        const [funds, fees] = await Promise.all([Promise.all(this.dates.map((date) => reader.funds(date))), Promise.all(this.dates.map((date) => reader.fees(date)))]);
        return { ledger, funds, fees };
      }),
    );
    return this.#accounts;
  }
}

export const BooksGroup = builder.objectRef<BooksGroupData>('BooksGroup').implement({
  description: 'The money movements of some ledgers (or of one sales unit) summed, all in one currency: amounts in different currencies are never added.',
  fields: (t) => ({
    currency: t.field({ type: 'Currency', description: 'The currency of every amount of the group.', resolve: (group) => group.currency }),
    ledgerIds: t.stringList({ description: 'The ledgers summed.', resolve: (group) => group.ledgerIds }),
    owner: t.field({
      type: Organization,
      nullable: true,
      authScopes: { role: 'ledger-details' },
      description: 'The owner of the ledgers, in groups by owner; null otherwise or where upstream does not say. Only for the role `ledger-details`.',
      resolve: (group) => group.owner,
    }),
    recipientHandle: t.string({
      nullable: true,
      description: 'The sales unit (e.g. `NO:123456`), in groups by sales unit; null for entries of no sales unit (payouts, service fees) and in other groups.',
      resolve: (group) => group.recipientHandle,
    }),
    salesUnitName: t.string({ nullable: true, description: 'The name of the sales unit, where the ledger lists it.', resolve: (group) => group.salesUnitName }),
    isClosed: t.boolean({ description: 'Whether every date of every ledger summed is closed: only then are the figures final.', resolve: (group) => group.isClosed }),
    movements: t.field({ type: MovementTotals, description: 'Every entry of both accounts by kind, summed exactly.', resolve: (group) => inCurrency(group.currency)(group.movements) }),
    fundsChange: t.field({
      type: Money,
      description: 'Σ of every funds entry: how much the funds balances moved (captures in, refunds, fees and payouts out).',
      resolve: (group) => new MoneyShape(group.fundsChange, group.currency),
    }),
  }),
});

const LedgersBooks = builder.objectRef<LedgersBooksShape>('LedgersBooks').implement({
  description: 'The books of several ledgers over the same dates, summed per currency, per owner and per sales unit.',
  fields: (t) => ({
    from: t.field({ type: 'Date', description: 'The first date.', resolve: (books) => books.dates[0] ?? '' }),
    to: t.field({ type: 'Date', description: 'The last date.', resolve: (books) => books.dates.at(-1) ?? '' }),
    ledgers: t.field({ type: [Ledger], description: 'The ledgers summed.', resolve: (books) => books.ledgers }),
    byCurrency: t.field({
      type: [BooksGroup],
      nullable: true,
      description: 'One group per currency.',
      resolve: async (books) => groupBooks(await books.accounts(), byCurrency),
    }),
    byOwner: t.field({
      type: [BooksGroup],
      nullable: true,
      authScopes: { role: 'ledger-details' },
      description: 'One group per owner organisation and currency. Only for the role `ledger-details` (it names the owners).',
      resolve: async (books) => groupBooks(await books.accounts(), byOwner),
    }),
    bySalesUnit: t.field({
      type: [BooksGroup],
      nullable: true,
      description: 'One group per sales unit and currency, from the `recipientHandle` of each entry.',
      resolve: async (books) => groupBooks(await books.accounts(), bySalesUnit),
    }),
  }),
});

/** The ledgers named, each checked and visible; or every visible ledger. At most `maxLedgersAtOnce`. */
async function namedLedgers(context: Context, ledgerIds: readonly string[] | null | undefined): Promise<LedgerShape[]> {
  if (ledgerIds == null) {
    const all = await context.report.ledgers.load('');
    if (all.length > maxLedgersAtOnce) throw badInput('ledgerIds', `must name at most ${maxLedgersAtOnce} ledgers when you see more (you see ${all.length})`);
    return all;
  }
  const unique = [...new Set(ledgerIds.map((id) => checkedId('ledgerIds', id, idForms.ledgerId)))];
  if (unique.length === 0 || unique.length > maxLedgersAtOnce) throw badInput('ledgerIds', `must name 1 to ${maxLedgersAtOnce} ledgers; got ${unique.length}`);
  return Promise.all(
    unique.map((id) =>
      visibleLedger(id, context).catch((error: unknown) => {
        // A list has no union to answer in: a ledger not visible is an error naming it, as for an unknown one.
        if (error instanceof NotFoundError) throw new GraphQLError(error.message, { extensions: { code: 'NOT_FOUND', argument: 'ledgerIds', key: id } });
        throw error;
      }),
    ),
  );
}

builder.queryField('ledgersBooks', (t) =>
  t.field({
    extensions: costOf((c) => {
      const ids = c.args.ledgerIds;
      const count = Array.isArray(ids) ? Math.min(maxLedgersAtOnce, Math.max(1, new Set(ids).size)) : maxLedgersAtOnce;
      // Both accounts of every date of every ledger (the mirror's dates free).
      c.reads(count * 2 * c.upstreamReportDates(rangeDays(c.args)));
      c.multiplies(count);
      c.advise(narrowerRange);
    }),
    type: LedgersBooks,
    nullable: true,
    description:
      `The books of several of your ledgers over the same dates, e.g. a chain's day across its shops: per currency, per ` +
      `owner and per sales unit. Names 1 to ${maxLedgersAtOnce} ledgers, or every ledger you see when \`ledgerIds\` is left ` +
      'out (priced as the most). Costs one read per ledger, date and account; with the feed mirror the closed dates are free. ' +
      'A ledger you do not see is an error, as an unknown one.',
    args: {
      ledgerIds: t.arg.stringList({ required: false, description: `Upstream ledger ids (\`Ledger.ledgerId\`); every ledger you see when left out (at most ${maxLedgersAtOnce}).` }),
      from: t.arg(rangeArgs.from),
      to: t.arg(rangeArgs.to),
    },
    resolve: async (_root, args, context) => {
      const ledgers = await namedLedgers(context, args.ledgerIds);
      let dates: string[] = [];
      for (const ledger of ledgers) dates = checkedRange(context, ledger, args.from, args.to);
      return new LedgersBooksShape(ledgers, dates, context);
    },
  }),
);

builder.objectField(Ledger, 'salesUnitBooks', (t) =>
  t.field({
    extensions: costOf((c) => {
      c.reads(2 * c.upstreamReportDates(rangeDays(c.args)));
      c.advise(narrowerRange);
    }),
    type: [BooksGroup],
    nullable: true,
    description:
      'The money movements of the ledger dates from `from` to `to`, per sales unit it settles for (from the ' +
      '`recipientHandle` of each entry); entries of no sales unit (payouts, service fees) in a group of their own.',
    args: { from: t.arg(rangeArgs.from), to: t.arg(rangeArgs.to) },
    resolve: async (ledger, args, context) => {
      const shape = new LedgersBooksShape([ledger], checkedRange(context, ledger, args.from, args.to), context);
      return groupBooks(await shape.accounts(), bySalesUnit);
    },
  }),
);

import { builder } from '../builder.ts';
import { reconciliationPlan } from '../joins/reconciliation-plan.ts';
import { MoneyHistorySource } from './money-history.ts';
import { Reconciliation } from './reconciliation.ts';

/**
 * How far a reconciliation looked for its sales' money, told as `Sale.settlement` and
 * `Sale.history` tell it: the same search plan decides for all of them.
 */
builder.objectFields(Reconciliation, (t) => ({
  source: t.field({
    type: MoneyHistorySource,
    description:
      "Whether the feed mirror named the dates holding the sales' entries (`FEED_MIRROR`), or the booking window of the dates " +
      '(each date and the next) was read alone (`DATE_WINDOW`, also when the dates have no sales to ask the mirror about).',
    resolve: async (shape, _args, context) => ((await reconciliationPlan(context, shape)).viaMirror ? 'FEED_MIRROR' : 'DATE_WINDOW'),
  }),
  checkedThrough: t.field({
    type: 'Date',
    nullable: true,
    description:
      "Every ledger date from the first date reconciled through this one was covered for the sales' money: read (the dates " +
      'and the date after, never past the newest date there is), or known complete in the feed mirror.',
    resolve: async (shape, _args, context) => (await reconciliationPlan(context, shape)).checkedThrough,
  }),
  complete: t.boolean({
    description:
      'Whether what was covered reaches the newest ledger date, as `Settlement.complete`: then no entry of these sales that ' +
      'exists now was left out. Not whether it can still change: a date still open can gain entries (see `isFinal`).',
    resolve: async (shape, _args, context) => (await reconciliationPlan(context, shape)).complete,
  }),
}));

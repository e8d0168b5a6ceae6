import { costOf } from '../cost.ts';
import { builder } from '../builder.ts';
import { feeds, readChanges, type Change, type FeedName } from '../joins/feed-changes.ts';
import { badInput } from '../input-errors.ts';
import { defaultPageSize, maxPageSize } from '../pagination.ts';

import { Ledger } from './ledger.ts';
import { MoneyMovement } from './money-movement.ts';
import { Sale } from './sale.ts';

export const LedgerFeed = builder.enumType('LedgerFeed', {
  description: 'A feed of a ledger: everything upstream books on it, in the order it was booked.',
  values: {
    FUNDS: { value: 'funds', description: 'The Report API feed of the funds account: money movements.' },
    FEES: { value: 'fees', description: 'The Report API feed of the fees account: money movements.' },
    SALES: { value: 'sales', description: 'The Sales API feed: captures and refunds as sales.' },
  } as const satisfies Record<string, { value: FeedName; description: string }>,
});

const LedgerChange = builder.unionType('LedgerChange', {
  description: 'One item of a ledger feed: a money movement (Report feeds) or a sale (Sales feed).',
  types: [MoneyMovement, Sale],
  resolveType: (change: Change) => ('topic' in change ? MoneyMovement : Sale),
});

const LedgerChangeEdge = builder.objectRef<{ cursor: string; node: Change }>('LedgerChangeEdge').implement({
  description: 'One item of a ledger feed and the cursor right after it.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Pass as `after` to continue after this item. Signed: it works for this ledger and feed only.' }),
    node: t.field({ type: LedgerChange, description: 'The item.', resolve: (edge) => edge.node }),
  }),
});

const LedgerChangeConnection = builder
  .objectRef<{ edges: Array<{ cursor: string; node: Change }>; endCursor: string; tryLater: boolean }>('LedgerChangeConnection')
  .implement({
    description:
      'A page of a ledger feed. Follow a ledger by passing `endCursor` as `after` again and again; store it after each ' +
      'page. When `tryLater` is true the feed has nothing more now: ask again later (a minute is plenty) with the same cursor.',
    fields: (t) => ({
      edges: t.field({ type: [LedgerChangeEdge], description: 'The items of this page, in feed order.', resolve: (page) => page.edges }),
      endCursor: t.exposeString('endCursor', {
        description: 'Where this page ends: pass it as `after` for what follows. Given even when the page is empty.',
      }),
      tryLater: t.exposeBoolean('tryLater', { description: 'Upstream has nothing more now; false means more can be read at once.' }),
      hasNextPage: t.boolean({ description: 'The opposite of `tryLater`: more can be read at once.', resolve: (page) => !page.tryLater }),
    }),
  });

builder.objectField(Ledger, 'changes', (t) =>
  t.field({
    // Up to two upstream pages: the rest of the page `after` points into, and the next.
    extensions: costOf((c) => c.reads(2)),
    type: LedgerChangeConnection,
    nullable: true,
    description:
      "Everything upstream books on the ledger, in the order it was booked: a Report feed's money movements or the Sales " +
      'feed\'s sales, so a client can follow a ledger without the REST API. Start without `after`, then pass `endCursor`.',
    args: {
      feed: t.arg({ type: LedgerFeed, required: true, description: 'Which feed.' }),
      after: t.arg.string({ required: false, description: 'A cursor this field returned (`endCursor` or an edge `cursor`); the start of the feed when left out.' }),
      first: t.arg.int({ required: false, defaultValue: defaultPageSize, description: `How many items to return (0 to ${maxPageSize}; ${defaultPageSize} unless given).` }),
    },
    resolve: (ledger, args, context) => {
      const first = args.first ?? defaultPageSize;
      if (first < 0 || first > maxPageSize) throw badInput('first', `must be between 0 and ${maxPageSize}; got ${first}`);
      if (args.after != null && args.after.length > 1000) throw badInput('after', 'is not a cursor of this list');
      const feed: FeedName = args.feed;
      if (!feeds.includes(feed)) throw badInput('feed', `must be one of ${feeds.join(', ')}`);
      return readChanges(context, ledger, feed, args.after ?? null, first);
    },
  }),
);



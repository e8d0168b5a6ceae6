import type { Topic } from '../../sources/report/models.ts';
import { costOf, joinDates, pageSize } from '../cost.ts';
import { builder } from '../builder.ts';
import { readAheadForPage, searchPage, topicsAskedOfSales } from '../joins/page-search.ts';
import { saleOnDate } from '../joins/shapes.ts';
import { checkConnectionArgs, pageOf } from '../pagination.ts';
import { Ledger } from './ledger.ts';
import { MoneyMovement, MoneyMovementTopic } from './money-movement.ts';
import { Sale } from './sale.ts';

/*
 * A ledger's date lists. Both read the whole upstream date once through the request's `day`
 * loader and slice it here: the joins below the page need the whole date indexed anyway, and
 * a second page of the same date in one request costs nothing more.
 */
builder.objectFields(Ledger, (t) => ({
  sales: t.connection(
    {
      extensions: costOf((c) => {
      c.reads(1);
      c.joinsOn(joinDates);
      c.lists(pageSize(c.args));
    }),
      type: Sale,
      nullable: true,
      description: 'The captures and refunds (Sales API) of one ledger date, in upstream order.',
      args: { date: t.arg({ type: 'Date', required: true, description: 'The ledger date.' }) },
      resolve: async (ledger, args, context, info) => {
        // Bad paging is answered before anything is read ahead.
        checkConnectionArgs(args);
        const topics = topicsAskedOfSales(info);
        const sales = context.sales.day.load({ ledgerId: ledger.ledgerId, date: args.date });
        readAheadForPage(context, ledger.ledgerId, args.date, topics);
        const day = await sales;
        const page = pageOf(
          args,
          day.entries.map((entry) => saleOnDate(ledger.ledgerId, args.date, entry)),
        );
        // The page's joins at once, so that each sale's are a lookup (joins/page-search.ts).
        if (topics.length > 0) await searchPage(context, page.edges.map((edge) => edge.node), topics);
        return page;
      },
    },
    {
      name: 'SaleConnection',
      description: 'A page of sales.',
      fields: (connection) => ({
        totalCount: connection.int({ description: 'How many sales the whole date has.', resolve: (page) => page.totalCount }),
      }),
    },
    { name: 'SaleEdge', description: 'A sale and its cursor.' },
  ),
  moneyMovements: t.connection(
    {
      extensions: costOf((c) => {
      c.reads(1);
      c.joinsOn(joinDates);
      c.lists(pageSize(c.args));
    }),
      type: MoneyMovement,
      nullable: true,
      description: 'The entries (Report API) of one ledger date and account, in upstream order.',
      args: {
        date: t.arg({ type: 'Date', required: true, description: 'The ledger date.' }),
        topic: t.arg({
          type: MoneyMovementTopic,
          required: true,
          defaultValue: 'funds',
          description: 'The account; funds unless given.',
        }),
      },
      resolve: async (ledger, args, context) => {
        const topic: Topic = args.topic;
        const day = await context.report.day.load({ ledgerId: ledger.ledgerId, topic, date: args.date });
        const page = pageOf(
          args,
          day.entries.map((entry) => ({ ledgerId: ledger.ledgerId, topic, entry })),
        );
        return { ...page, isClosed: day.isClosed };
      },
    },
    {
      name: 'MoneyMovementConnection',
      description: 'A page of money movements of one ledger date and account.',
      fields: (connection) => ({
        isClosed: connection.boolean({
          description:
            'Whether upstream has closed the date. While false, entries can still arrive (the page is incomplete even ' +
            'when it has items); closed dates never change.',
          resolve: (page) => page.isClosed,
        }),
        totalCount: connection.int({
          description: 'How many entries the whole date has on this account.',
          resolve: (page) => page.totalCount,
        }),
      }),
    },
    { name: 'MoneyMovementEdge', description: 'A money movement and its cursor.' },
  ),
}));

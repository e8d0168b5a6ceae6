import type { Topic } from '../../sources/report/models.ts';
import { costOf, joinDates, pageSize } from '../cost.ts';
import { builder } from '../builder.ts';
import { searchesAskedOfSales, searchPage } from '../joins/page-search.ts';
import { fieldsAskedOfSales, readAheadForPage, topicsAskedOfSales } from '../joins/read-ahead.ts';
import { movementShapesOf, salesOfDate } from '../joins/shapes.ts';
import { latestCutoffHour, ledgerTimeZone } from '../../kernel/booking-window.ts';
import { salesAvailabilityOn } from '../../kernel/sales-availability.ts';
import { checkedDate } from '../ledger-reads.ts';
import { checkConnectionArgs, pageOf } from '../pagination.ts';
import { SolutionAvailability } from './sales-availability.ts';
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
      description:
        'The captures and refunds (Sales API) of one ledger date, in upstream order. A date that has not begun on the ledger is ' +
        'an error naming `date`; a date before the Sales API has data says so in `salesData`.',
      args: { date: t.arg({ type: 'Date', required: true, description: 'The ledger date.' }) },
      resolve: async (ledger, args, context, info) => {
        const date = checkedDate(context, ledger, 'date', args.date);
        // Bad paging is answered before anything is read ahead.
        checkConnectionArgs(args);
        const sales = context.sales.day.load({ ledgerId: ledger.ledgerId, date });
        const asked = fieldsAskedOfSales(info);
        readAheadForPage(context, ledger.ledgerId, date, topicsAskedOfSales(asked));
        const day = await sales;
        const page = pageOf(args, salesOfDate(ledger.ledgerId, date, day.entries));
        // The page's joins at once, so that each sale's `captures` and `fees` are a lookup.
        await searchPage(context, page.edges.map((edge) => edge.node), searchesAskedOfSales(asked));
        return { ...page, ledger, date };
      },
    },
    {
      name: 'SaleConnection',
      description: 'A page of sales.',
      fields: (connection) => ({
        totalCount: connection.int({ description: 'How many sales the whole date has.', resolve: (page) => page.totalCount }),
        isClosed: connection.boolean({
          extensions: costOf((c) => c.chargeJoins(['funds'])),
          nullable: true,
          description:
            "Whether upstream has closed the date (the Report API's funds account): only then is the list final. While false, " +
            'sales can still be added (the date is open, or its settlement period is).',
          resolve: async (page, _args, context) => (await context.report.day.load({ ledgerId: page.ledger.ledgerId, topic: 'funds', date: page.date })).isClosed,
        }),
        salesData: connection.field({
          type: [SolutionAvailability],
          description:
            'For each solution, whether the Sales API has data for this date at all: it has none before a solution\'s ' +
            'availability floor, so an empty or short list then means "no Sales data yet", not "no sales".',
          resolve: (page) => salesAvailabilityOn(page.date, ledgerTimeZone(page.ledger.currency), latestCutoffHour),
        }),
        isSalesDataComplete: connection.boolean({
          description: 'Whether the Sales API has data for the whole date for every solution (see `salesData`).',
          resolve: (page) => salesAvailabilityOn(page.date, ledgerTimeZone(page.ledger.currency), latestCutoffHour).every((item) => item.coverage === 'FULL'),
        }),
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
      description: 'The entries (Report API) of one ledger date and account, in upstream order. A date that has not begun on the ledger is an error naming `date`.',
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
        const date = checkedDate(context, ledger, 'date', args.date);
        const day = await context.report.day.load({ ledgerId: ledger.ledgerId, topic, date });
        const page = pageOf(args, movementShapesOf(ledger.ledgerId, topic, day.entries));
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

import { builder } from '../builder.ts';
import { Sale } from './sale.ts';

/** One connection type for the sales a bookkeeping view lists (behind a payout, lacking VAT). */
export const SaleListConnection = builder.connectionObject(
  {
    type: Sale,
    name: 'SaleListConnection',
    description: 'A page of the sales a bookkeeping view lists.',
    fields: (connection) => ({
      totalCount: connection.int({
        description: 'How many sales the whole list has.',
        resolve: (page) => {
          // Every list is paged by `pageOf`, which counts the whole list.
          if ('totalCount' in page && typeof page.totalCount === 'number') return page.totalCount;
          throw new TypeError('a page of a sale list without its total count');
        },
      }),
    }),
  },
  { name: 'SaleListEdge', description: 'A sale and its cursor.' },
);

import type { SalesLine } from '../../sources/sales/models.ts';
import { builder } from '../builder.ts';
import { basisPointsToPercent } from '../../kernel/money.ts';
import { money, Money } from './money.ts';

export interface OrderLineShape {
  line: SalesLine;
  /** Lines carry no currency of their own: it is the sale's. */
  currency: string;
}

const VatRate = builder.objectRef<number>('VatRate').implement({
  description: 'A VAT rate, exact: 25 % is 2500 basis points.',
  fields: (t) => ({
    basisPoints: t.int({
      description: 'The rate in hundredths of a percent (`2500` = 25 %), as upstream sends it.',
      resolve: (rate) => rate,
    }),
    percent: t.string({
      description: 'The rate in percent as an exact decimal string, e.g. `"25.00"` or `"25.50"`.',
      resolve: basisPointsToPercent,
    }),
  }),
});

/** Upstream leaves out what the merchant did not enter; each such field is null here. */
export const OrderLine = builder.objectRef<OrderLineShape>('OrderLine').implement({
  description:
    'One line of a shopping-basket or mPOS order. VAT is not mandatory per item, so any amount or rate may be null; ' +
    'where present, unit price × quantity − discount = line total.',
  fields: (t) => {
    const amount = (
      field: 'unitPriceGross' | 'unitPriceNet' | 'discountTotal' | 'lineTotalGross' | 'lineTotalNet' | 'vatAmount',
      description: string,
    ) => t.field({ type: Money, nullable: true, description, resolve: ({ line, currency }) => money(line[field], currency) });
    return {
      lineId: t.string({ description: "The line's id within the order.", resolve: ({ line }) => line.lineId }),
      name: t.string({ description: 'The item name as the merchant entered it.', resolve: ({ line }) => line.name }),
      quantity: t.float({
        description: 'How many units; a count, not money, and possibly fractional for items sold by weight.',
        resolve: ({ line }) => line.quantity,
      }),
      unitPriceGross: amount('unitPriceGross', 'Price of one unit including VAT, before discount.'),
      unitPriceNet: amount('unitPriceNet', 'Price of one unit excluding VAT, before discount.'),
      discount: amount('discountTotal', 'Discount on the whole line, including VAT.'),
      lineTotalGross: amount('lineTotalGross', 'Line total including VAT, after discount.'),
      lineTotalNet: amount('lineTotalNet', 'Line total excluding VAT, after discount.'),
      vatRate: t.field({
        type: VatRate,
        nullable: true,
        description: 'The VAT rate of the line; null when the merchant gave none.',
        resolve: ({ line }) => line.vatRate,
      }),
      vatAmount: amount('vatAmount', 'The VAT of the line.'),
      category: t.string({
        nullable: true,
        description: "The merchant's category of the item, e.g. `GOODS`.",
        resolve: ({ line }) => line.category,
      }),
    };
  },
});

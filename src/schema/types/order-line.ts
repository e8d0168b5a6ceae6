import { builder } from '../builder.ts';
import type { OrderLineShape, VatRateShape } from '../joins/shapes.ts';
import { Money } from './money.ts';

const VatRate = builder.objectRef<VatRateShape>('VatRate').implement({
  description: 'A VAT rate, exact: 25 % is 2500 basis points.',
  fields: (t) => ({
    basisPoints: t.exposeInt('basisPoints', {
      description: 'The rate in hundredths of a percent (`2500` = 25 %), as upstream sends it.',
    }),
    percent: t.exposeString('percent', {
      description: 'The rate in percent as an exact decimal string, e.g. `"25.00"` or `"25.50"`.',
    }),
  }),
});

/** Upstream leaves out what the merchant did not enter; each such field is null here. */
export const OrderLine = builder.objectRef<OrderLineShape>('OrderLine').implement({
  description:
    'One line of a shopping-basket or mPOS order. VAT is not mandatory per item, so any amount or rate may be null; ' +
    'where present, unit price × quantity − discount = line total.',
  fields: (t) => {
    const amount = (field: 'unitPriceGross' | 'unitPriceNet' | 'discount' | 'lineTotalGross' | 'lineTotalNet' | 'vatAmount', description: string) =>
      t.expose(field, { type: Money, nullable: true, description });
    return {
      lineId: t.exposeString('lineId', { description: "The line's id within the order." }),
      name: t.exposeString('name', { description: 'The item name as the merchant entered it.' }),
      quantity: t.exposeFloat('quantity', {
        description: 'How many units; a count, not money, and possibly fractional for items sold by weight.',
      }),
      unitPriceGross: amount('unitPriceGross', 'Price of one unit including VAT, before discount.'),
      unitPriceNet: amount('unitPriceNet', 'Price of one unit excluding VAT, before discount.'),
      discount: amount('discount', 'Discount on the whole line, including VAT.'),
      lineTotalGross: amount('lineTotalGross', 'Line total including VAT, after discount.'),
      lineTotalNet: amount('lineTotalNet', 'Line total excluding VAT, after discount.'),
      vatRate: t.expose('vatRate', {
        type: VatRate,
        nullable: true,
        description: 'The VAT rate of the line; null when the merchant gave none.',
      }),
      vatAmount: amount('vatAmount', 'The VAT of the line.'),
      category: t.exposeString('category', {
        nullable: true,
        description: "The merchant's category of the item, e.g. `GOODS`.",
      }),
    };
  },
});

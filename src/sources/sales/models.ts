import { z } from 'zod';
import { minorUnits } from '../report/models.ts';

/**
 * Sales API v1 bodies. Missing VAT may arrive as null or as an absent field (undocumented), so
 * every optional amount is `nullish` and normalised to `null`.
 */

const optionalMinorUnits = minorUnits.nullish().transform((value) => value ?? null);

export const salesLineModel = z.object({
  lineId: z.string(),
  name: z.string(),
  quantity: z.number(),
  unitPriceGross: optionalMinorUnits,
  unitPriceNet: optionalMinorUnits,
  discountTotal: optionalMinorUnits,
  lineTotalGross: optionalMinorUnits,
  lineTotalNet: optionalMinorUnits,
  vatRate: z.number().int().nullish().transform((value) => value ?? null),
  vatAmount: optionalMinorUnits,
  category: z.string().nullish().transform((value) => value ?? null),
});

export const salesEntryModel = z.object({
  entryType: z.string(),
  time: z.string(),
  orderDate: z.string().nullish().transform((value) => value ?? null),
  pspReference: z.string().nullish().transform((value) => value ?? null),
  reference: z.string(),
  currency: z.string(),
  paymentType: z.string().nullish().transform((value) => value ?? null),
  classification: z
    .object({
      solution: z.string().nullish().transform((value) => value ?? null),
      salesCategory: z.string().nullish().transform((value) => value ?? null),
    })
    .nullish()
    .transform((value) => value ?? { solution: null, salesCategory: null }),
  amounts: z
    .object({ gross: optionalMinorUnits, net: optionalMinorUnits, vat: optionalMinorUnits })
    .nullish()
    .transform((value) => value ?? { gross: null, net: null, vat: null }),
  lines: z.array(salesLineModel).nullish().transform((value) => value ?? []),
  completeness: z
    .object({
      hasLineItems: z.boolean(),
      hasVatBreakdown: z.boolean(),
      hasCustomerIdentity: z.boolean(),
    })
    .nullish()
    .transform((value) => value ?? null),
});

/** Feed and date pages; `hasMore` may be absent on the feed, `cursor` on a date's last page. */
export const salesPageModel = z
  .object({
    items: z.array(salesEntryModel),
    cursor: z.string().nullish(),
    hasMore: z.boolean().default(false),
  })
  .refine((page) => !page.hasMore || !!page.cursor, { message: 'hasMore without a cursor', path: ['cursor'] });

/** `/references/{reference}` and `/psp-references/{pspReference}`. */
export const salesLookupModel = z.object({ items: z.array(salesEntryModel) });

export type SalesLine = z.infer<typeof salesLineModel>;
export type SalesEntry = z.infer<typeof salesEntryModel>;
export type SalesPage = z.infer<typeof salesPageModel>;
export type SalesLookup = z.infer<typeof salesLookupModel>;

import { z } from 'zod';
import { minorUnits } from '../report/models.ts';

/**
 * Sales API v1 bodies. Missing VAT may arrive as null or as an absent field (undocumented), so
 * every optional field accepts both and comes out as `null`.
 */

/**
 * Null or absent, normalised to null. `nullable().default()` rather than a transform: a busy
 * date is thousands of entries with a dozen such fields each, and transforms cost ten times more.
 */
const orNull = <T extends z.ZodType>(model: T) => model.nullable().default(null);

/** Null or absent, normalised to `empty`: one transform per entry is affordable. */
const orEmpty = <T extends z.ZodType>(model: T, empty: z.output<T>) =>
  model.nullish().transform((value): z.output<T> => value ?? empty);

export const salesLineModel = z.object({
  lineId: z.string(),
  name: z.string(),
  quantity: z.number(),
  unitPriceGross: orNull(minorUnits),
  unitPriceNet: orNull(minorUnits),
  discountTotal: orNull(minorUnits),
  lineTotalGross: orNull(minorUnits),
  lineTotalNet: orNull(minorUnits),
  vatRate: orNull(z.number().int()),
  vatAmount: orNull(minorUnits),
  category: orNull(z.string()),
});

export const salesEntryModel = z.object({
  entryType: z.string(),
  time: z.string(),
  orderDate: orNull(z.string()),
  pspReference: orNull(z.string()),
  reference: z.string(),
  currency: z.string(),
  paymentType: orNull(z.string()),
  classification: orEmpty(z.object({ solution: orNull(z.string()), salesCategory: orNull(z.string()) }), {
    solution: null,
    salesCategory: null,
  }),
  amounts: orEmpty(z.object({ gross: orNull(minorUnits), net: orNull(minorUnits), vat: orNull(minorUnits) }), {
    gross: null,
    net: null,
    vat: null,
  }),
  lines: orEmpty(z.array(salesLineModel), []),
  completeness: orNull(
    z.object({
      hasLineItems: z.boolean(),
      hasVatBreakdown: z.boolean(),
      hasCustomerIdentity: z.boolean(),
    }),
  ),
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

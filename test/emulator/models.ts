import { z } from 'zod';

/** What the emulator answers, as strict zod models: a field too many or of the wrong type fails. */

export const reportEntryModel = z
  .object({
    pspReference: z.string(),
    time: z.string(),
    ledgerDate: z.string(),
    entryType: z.string(),
    reference: z.string(),
    currency: z.string(),
    amount: z.number().int(),
    balanceBefore: z.number().int(),
    balanceAfter: z.number().int(),
    recipientHandle: z.string().optional(),
    name: z.string().optional(),
    maskedPhoneNo: z.string().optional(),
    message: z.string().optional(),
  })
  .strict();
export type ReportEntry = z.infer<typeof reportEntryModel>;

export const reportDatePageModel = z
  .object({ cursor: z.string().optional(), hasMore: z.boolean(), tryLater: z.boolean(), items: z.array(reportEntryModel) })
  .strict();
export const reportFeedPageModel = z.object({ cursor: z.string().min(1), tryLater: z.boolean(), items: z.array(reportEntryModel) }).strict();

const nullableInt = z.number().int().nullable();
export const salesLineModel = z
  .object({
    lineId: z.string(),
    name: z.string(),
    quantity: z.number().int(),
    unitPriceGross: z.number().int(),
    unitPriceNet: nullableInt,
    discountTotal: z.number().int(),
    lineTotalGross: z.number().int(),
    lineTotalNet: nullableInt,
    vatRate: nullableInt,
    vatAmount: nullableInt,
    category: z.string().nullable(),
  })
  .strict();
export const salesEntryModel = z
  .object({
    entryType: z.enum(['capture', 'refund']),
    time: z.string(),
    orderDate: z.string(),
    pspReference: z.string().nullable(),
    reference: z.string(),
    currency: z.string(),
    paymentType: z.enum(['CARD', 'WALLET', 'CASH']),
    classification: z.object({ solution: z.enum(['VARIABLE_AMOUNT', 'SHOPPING_BASKET', 'MPOS']), salesCategory: z.string().nullable() }).strict(),
    amounts: z.object({ gross: z.number().int(), net: nullableInt, vat: nullableInt }).strict(),
    lines: z.array(salesLineModel),
    customer: z.null(),
    completeness: z.object({ hasLineItems: z.boolean(), hasVatBreakdown: z.boolean(), hasCustomerIdentity: z.boolean() }).strict(),
  })
  .strict();
export type SalesEntry = z.infer<typeof salesEntryModel>;
export const salesPageModel = z.object({ items: z.array(salesEntryModel), cursor: z.string().optional(), hasMore: z.boolean() }).strict();
export const salesLookupModel = z.object({ items: z.array(salesEntryModel) }).strict();

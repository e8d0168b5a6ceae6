import { z } from 'zod';

/**
 * Report API v2 and settlement v1 bodies, parsed at the edge so that nothing downstream touches
 * raw JSON. Unknown fields are dropped (upstream adds fields to history without notice); unknown
 * entry types are kept as strings (upstream adds types without notice).
 */

/** Amounts are integers in minor units; anything else is a broken upstream, not a rounding job. */
export const minorUnits = z.number().int().refine(Number.isSafeInteger, 'amount is not a safe integer');

export const topics = ['funds', 'fees'] as const;
export type Topic = (typeof topics)[number];

export const bankAccountModel = z.object({ scheme: z.string(), id: z.string() });
export const organizationModel = z.object({ scheme: z.string(), id: z.string() });

export const salesUnitModel = z.object({
  name: z.string(),
  recipientHandle: z.string(),
  businessIdentifier: organizationModel.nullish(),
});

export const ledgerModel = z.object({
  ledgerId: z.string().min(1),
  currency: z.string(),
  payoutBankAccount: bankAccountModel.nullish(),
  owner: organizationModel.nullish(),
  settlesForRecipientHandles: z.array(z.string()).default([]),
  salesUnits: z.array(salesUnitModel).default([]),
});

export const ledgerPageModel = z.object({
  items: z.array(ledgerModel),
  /** Empty or absent when there is nothing more. */
  cursor: z.string().nullish(),
});

export const reportEntryModel = z.object({
  pspReference: z.string().nullish(),
  time: z.string(),
  ledgerDate: z.string(),
  entryType: z.string(),
  reference: z.string().nullish(),
  currency: z.string(),
  amount: minorUnits,
  balanceBefore: minorUnits,
  balanceAfter: minorUnits,
  recipientHandle: z.string().nullish(),
  // The payer's name, phone and message are left out (zod drops them): only `payers.ts` reads
  // them, under keys of their own, so no entry kept here can hold personal data.
});

/** One page of `.../dates/{ledgerDate}`: `cursor` only while `hasMore`. */
export const reportDatePageModel = z
  .object({
    items: z.array(reportEntryModel),
    hasMore: z.boolean().default(false),
    cursor: z.string().nullish(),
    tryLater: z.boolean().default(false),
  })
  .refine((page) => !page.hasMore || !!page.cursor, { message: 'hasMore without a cursor', path: ['cursor'] });

/** One page of `.../feed`: no `hasMore`; the cursor is always present. */
export const reportFeedPageModel = z.object({
  items: z.array(reportEntryModel),
  cursor: z.string().min(1),
  tryLater: z.boolean().default(false),
});

export type BankAccount = z.infer<typeof bankAccountModel>;
export type Organization = z.infer<typeof organizationModel>;
export type SalesUnit = z.infer<typeof salesUnitModel>;
export type Ledger = z.infer<typeof ledgerModel>;
export type LedgerPage = z.infer<typeof ledgerPageModel>;
export type ReportEntry = z.infer<typeof reportEntryModel>;
export type ReportDatePage = z.infer<typeof reportDatePageModel>;
export type ReportFeedPage = z.infer<typeof reportFeedPageModel>;

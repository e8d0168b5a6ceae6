/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Why a money movement has no sale of its own, when none is expected. */
export type MovementWithoutSaleReason =
  /** An adjustment of a sale's money of a type other than capture or refund (or a type not known yet). */
  | 'ADJUSTMENT'
  /** A payment to an API merchant (`api:` handle, e.g. ePayment): the Sales API does not cover those. */
  | 'API_PAYMENT'
  /** A dispute of an earlier capture (with its pspReference), not a sale of its own. */
  | 'DISPUTE'
  /** Booked for the ledger, not for a sale: payouts, fee settlements, top-ups, corrections. */
  | 'LEDGER_ENTRY'
  /** A capture or refund from before the Sales API holds data for every solution (before 2026-04-22 11:04 UTC): its sale may be of a solution whose Sales data does not exist yet. Not a mismatch. */
  | 'SALES_DATA_NOT_AVAILABLE';

/** How a sale's money was found on the funds account. */
export type SaleReconciliationOutcome =
  /** Booked, but with another amount than the sale. */
  | 'AMOUNT_MISMATCH'
  /** Booked past the cut-off on the date after, with the same amount: it counts there. */
  | 'BOOKED_NEXT_DATE'
  /** Booked on the dates reconciled, with the same amount. */
  | 'MATCHED'
  /** Not booked yet, and a date it can land on is still open. */
  | 'PENDING'
  /** Not booked on the closed dates it can land on (its own date or the next). Worth a look by a person. */
  | 'UNMATCHED';

/** Where a sale's money stands on its ledger's funds account. */
export type SettlementStatus =
  /** Cash: no money moves through Vipps MobilePay, so nothing is ever booked. */
  | 'NOT_APPLICABLE'
  /** Not on any closed date it can land on (the sale's date or the next). Worth a look by a person. */
  | 'NOT_FOUND'
  /** Booked on a date that is still open, or not booked yet while a date it can land on is still open or has not begun. */
  | 'PENDING'
  /** Booked on a closed ledger date: final, and counted in that date's payout calculation. */
  | 'SETTLED';

export type AmountFragment = { decimal: string, currency: string };

export type PortalLedgersQueryVariables = Exact<{ [key: string]: never; }>;


export type PortalLedgersQuery = { ledgers: { totalCount: number, edges: Array<{ node: { ledgerId: string, currency: string, timeZone: string, salesUnits: Array<{ name: string }> } }> } | null };

export type PortalDayQueryVariables = Exact<{
  ledgerId: string;
  date: string;
}>;


export type PortalDayQuery = { ledger:
    | { __typename: 'Ledger', ledgerId: string, timeZone: string, day: { isClosed: boolean | null, openingBalance: { decimal: string, currency: string } | null, closingBalance: { decimal: string, currency: string } | null, movements: { captures: { count: number, amount: { decimal: string, currency: string } }, refunds: { count: number, amount: { decimal: string, currency: string } }, fees: { retained: { count: number, amount: { decimal: string, currency: string } } }, payouts: { count: number, amount: { decimal: string, currency: string } } } | null, sales: { all: { count: number, gross: { decimal: string, currency: string } } } | null } | null, sales: { totalCount: number, edges: Array<{ node: { time: string, reference: string, pspReference: string | null, gross: { decimal: string, currency: string } | null, orderLines: Array<{ name: string, quantity: number, lineTotalGross: { decimal: string, currency: string } | null }>, captures: Array<{ ledgerDate: string, amount: { decimal: string, currency: string } }> | null, fees: Array<{ ledgerDate: string, amount: { decimal: string, currency: string } }> | null, settlement: { status: SettlementStatus, ledgerDate: string | null } | null } }> } | null }
    | { __typename: 'NotFoundError', message: string }
   | null };

export type PortalPayoutsQueryVariables = Exact<{
  ledgerId: string;
  from: string;
  to: string;
}>;


export type PortalPayoutsQuery = { ledger:
    | { __typename: 'Ledger', ledgerId: string, timeZone: string, payouts: Array<{ payoutId: string, payoutNumber: string, date: string, time: string, coveredDates: Array<string> | null, isCoverageComplete: boolean | null, amount: { decimal: string, currency: string }, sales: { totalCount: number, edges: Array<{ node: { reference: string, time: string, gross: { decimal: string, currency: string } | null } }> } | null }> | null }
    | { __typename: 'NotFoundError', message: string }
   | null };

export type PortalReconciliationQueryVariables = Exact<{
  ledgerId: string;
  date: string;
}>;


export type PortalReconciliationQuery = { ledger:
    | { __typename: 'Ledger', ledgerId: string, timeZone: string, reconciliation: { isFinal: boolean, salesCount: number, matchedCount: number, totals: { salesGross: { decimal: string, currency: string }, bookedForSales: { decimal: string, currency: string }, difference: { decimal: string, currency: string } }, salesWithoutMovement: Array<{ outcome: SaleReconciliationOutcome, sale: { reference: string, time: string, gross: { decimal: string, currency: string } | null } }>, amountMismatches: Array<{ outcome: SaleReconciliationOutcome, difference: { decimal: string, currency: string } | null, sale: { reference: string, time: string, gross: { decimal: string, currency: string } | null } }>, movementsWithoutSale: Array<{ isExpected: boolean, reason: MovementWithoutSaleReason | null, movement: { entryType: string, time: string, pspReference: string | null, amount: { decimal: string, currency: string } } }> } | null }
    | { __typename: 'NotFoundError', message: string }
   | null };

export type PortalClosedDatesSubscriptionVariables = Exact<{
  ledgerIds: Array<string> | string;
  since?: string | null | undefined;
}>;


export type PortalClosedDatesSubscription = { ledgerDateClosed: { ledgerId: string, date: string, cursor: string, closingBalance: { decimal: string, currency: string } | null } };

export const AmountFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Amount"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Money"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"decimal"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]} as unknown as DocumentNode<AmountFragment, unknown>;
export const PortalLedgersDocument = {"__meta__":{"hash":"sha256:884d3ca561df96fe0a208f54cf6726cc2a966a2985ea074bd9d7836f263cae09"}} as unknown as DocumentNode<PortalLedgersQuery, PortalLedgersQueryVariables>;
export const PortalDayDocument = {"__meta__":{"hash":"sha256:4a3c6ac4f38bdabe8147a5298dfe02d28c8fe698fa57d54d2c7a11dc065f31ac"}} as unknown as DocumentNode<PortalDayQuery, PortalDayQueryVariables>;
export const PortalPayoutsDocument = {"__meta__":{"hash":"sha256:227ae96cb92e40340ee1d00371281fad89386c177ebb24691005701cf6a5c176"}} as unknown as DocumentNode<PortalPayoutsQuery, PortalPayoutsQueryVariables>;
export const PortalReconciliationDocument = {"__meta__":{"hash":"sha256:11bcdf839f906ef4236e3a028adb4396927abc218735523fb2d7b6f261901c2a"}} as unknown as DocumentNode<PortalReconciliationQuery, PortalReconciliationQueryVariables>;
export const PortalClosedDatesDocument = {"__meta__":{"hash":"sha256:1e9d8e715eec249a115c73359a6f4071416aa79d0b834560715e499eca59ceb0"}} as unknown as DocumentNode<PortalClosedDatesSubscription, PortalClosedDatesSubscriptionVariables>;
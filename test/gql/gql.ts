/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ErrorsLedgerSales($id: String!, $date: Date!, $first: Int, $after: String) {\n    ledger(id: $id) {\n      __typename\n      ... on NotFoundError { message resource key }\n      ... on Ledger { sales(date: $date, first: $first, after: $after) { totalCount edges { cursor } } }\n    }\n  }\n": typeof types.ErrorsLedgerSalesDocument,
    "\n  query ErrorsLiteralDate($id: String!) {\n    ledger(id: $id) { ... on Ledger { sales(date: \"2026-02-30\") { totalCount } } }\n  }\n": typeof types.ErrorsLiteralDateDocument,
    "\n  query ErrorsNode($id: ID!) { node(id: $id) { id __typename } }\n": typeof types.ErrorsNodeDocument,
    "\n  query ErrorsTwoLedgers($good: String!, $bad: String!, $date: Date!) {\n    good: ledger(id: $good) { __typename ... on Ledger { ledgerId sales(date: $date, first: 1) { totalCount } } }\n    bad: ledger(id: $bad) { __typename ... on NotFoundError { message resource key } }\n  }\n": typeof types.ErrorsTwoLedgersDocument,
    "\n  query ErrorsSaleAndLedger($ledgerId: String!, $date: Date!) {\n    ledger(id: $ledgerId) {\n      __typename\n      ... on Ledger {\n        sales(date: $date, first: 5) {\n          totalCount\n          edges { node { pspReference fees { pspReference } captures { pspReference } } }\n        }\n      }\n    }\n  }\n": typeof types.ErrorsSaleAndLedgerDocument,
    "\n  query ErrorsDeep($id: String!, $date: Date!) {\n    ledger(id: $id) { ... on Ledger { sales(date: $date) { edges { node { order { sales { order { sales { order { sales { order { sales { order { reference } } } } } } } } } } } } } }\n  }\n": typeof types.ErrorsDeepDocument,
    "\n  query JoinDay($ledgerId: String!, $date: Date!, $first: Int) {\n    ledger(id: $ledgerId) {\n      __typename\n      ... on Ledger {\n        ledgerId\n        sales(date: $date, first: $first) {\n          totalCount\n          pageInfo { hasNextPage }\n          edges {\n            node {\n              id\n              kind\n              entryType\n              reference\n              pspReference\n              paymentType\n              gross { minorUnits currency decimal }\n              orderLines {\n                lineId\n                quantity\n                unitPriceGross { minorUnits }\n                discount { minorUnits }\n                lineTotalGross { minorUnits }\n                lineTotalNet { minorUnits }\n                vatAmount { minorUnits }\n                vatRate { basisPoints percent }\n              }\n              completeness { hasLineItems hasVatBreakdown }\n              captures { kind ledgerDate pspReference reference amount { minorUnits } }\n              fees { kind ledgerDate pspReference amount { minorUnits } }\n              settlement { status ledgerDate checkedDates }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.JoinDayDocument,
};
const documents: Documents = {
    "\n  query ErrorsLedgerSales($id: String!, $date: Date!, $first: Int, $after: String) {\n    ledger(id: $id) {\n      __typename\n      ... on NotFoundError { message resource key }\n      ... on Ledger { sales(date: $date, first: $first, after: $after) { totalCount edges { cursor } } }\n    }\n  }\n": types.ErrorsLedgerSalesDocument,
    "\n  query ErrorsLiteralDate($id: String!) {\n    ledger(id: $id) { ... on Ledger { sales(date: \"2026-02-30\") { totalCount } } }\n  }\n": types.ErrorsLiteralDateDocument,
    "\n  query ErrorsNode($id: ID!) { node(id: $id) { id __typename } }\n": types.ErrorsNodeDocument,
    "\n  query ErrorsTwoLedgers($good: String!, $bad: String!, $date: Date!) {\n    good: ledger(id: $good) { __typename ... on Ledger { ledgerId sales(date: $date, first: 1) { totalCount } } }\n    bad: ledger(id: $bad) { __typename ... on NotFoundError { message resource key } }\n  }\n": types.ErrorsTwoLedgersDocument,
    "\n  query ErrorsSaleAndLedger($ledgerId: String!, $date: Date!) {\n    ledger(id: $ledgerId) {\n      __typename\n      ... on Ledger {\n        sales(date: $date, first: 5) {\n          totalCount\n          edges { node { pspReference fees { pspReference } captures { pspReference } } }\n        }\n      }\n    }\n  }\n": types.ErrorsSaleAndLedgerDocument,
    "\n  query ErrorsDeep($id: String!, $date: Date!) {\n    ledger(id: $id) { ... on Ledger { sales(date: $date) { edges { node { order { sales { order { sales { order { sales { order { sales { order { reference } } } } } } } } } } } } } }\n  }\n": types.ErrorsDeepDocument,
    "\n  query JoinDay($ledgerId: String!, $date: Date!, $first: Int) {\n    ledger(id: $ledgerId) {\n      __typename\n      ... on Ledger {\n        ledgerId\n        sales(date: $date, first: $first) {\n          totalCount\n          pageInfo { hasNextPage }\n          edges {\n            node {\n              id\n              kind\n              entryType\n              reference\n              pspReference\n              paymentType\n              gross { minorUnits currency decimal }\n              orderLines {\n                lineId\n                quantity\n                unitPriceGross { minorUnits }\n                discount { minorUnits }\n                lineTotalGross { minorUnits }\n                lineTotalNet { minorUnits }\n                vatAmount { minorUnits }\n                vatRate { basisPoints percent }\n              }\n              completeness { hasLineItems hasVatBreakdown }\n              captures { kind ledgerDate pspReference reference amount { minorUnits } }\n              fees { kind ledgerDate pspReference amount { minorUnits } }\n              settlement { status ledgerDate checkedDates }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.JoinDayDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErrorsLedgerSales($id: String!, $date: Date!, $first: Int, $after: String) {\n    ledger(id: $id) {\n      __typename\n      ... on NotFoundError { message resource key }\n      ... on Ledger { sales(date: $date, first: $first, after: $after) { totalCount edges { cursor } } }\n    }\n  }\n"): (typeof documents)["\n  query ErrorsLedgerSales($id: String!, $date: Date!, $first: Int, $after: String) {\n    ledger(id: $id) {\n      __typename\n      ... on NotFoundError { message resource key }\n      ... on Ledger { sales(date: $date, first: $first, after: $after) { totalCount edges { cursor } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErrorsLiteralDate($id: String!) {\n    ledger(id: $id) { ... on Ledger { sales(date: \"2026-02-30\") { totalCount } } }\n  }\n"): (typeof documents)["\n  query ErrorsLiteralDate($id: String!) {\n    ledger(id: $id) { ... on Ledger { sales(date: \"2026-02-30\") { totalCount } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErrorsNode($id: ID!) { node(id: $id) { id __typename } }\n"): (typeof documents)["\n  query ErrorsNode($id: ID!) { node(id: $id) { id __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErrorsTwoLedgers($good: String!, $bad: String!, $date: Date!) {\n    good: ledger(id: $good) { __typename ... on Ledger { ledgerId sales(date: $date, first: 1) { totalCount } } }\n    bad: ledger(id: $bad) { __typename ... on NotFoundError { message resource key } }\n  }\n"): (typeof documents)["\n  query ErrorsTwoLedgers($good: String!, $bad: String!, $date: Date!) {\n    good: ledger(id: $good) { __typename ... on Ledger { ledgerId sales(date: $date, first: 1) { totalCount } } }\n    bad: ledger(id: $bad) { __typename ... on NotFoundError { message resource key } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErrorsSaleAndLedger($ledgerId: String!, $date: Date!) {\n    ledger(id: $ledgerId) {\n      __typename\n      ... on Ledger {\n        sales(date: $date, first: 5) {\n          totalCount\n          edges { node { pspReference fees { pspReference } captures { pspReference } } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ErrorsSaleAndLedger($ledgerId: String!, $date: Date!) {\n    ledger(id: $ledgerId) {\n      __typename\n      ... on Ledger {\n        sales(date: $date, first: 5) {\n          totalCount\n          edges { node { pspReference fees { pspReference } captures { pspReference } } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErrorsDeep($id: String!, $date: Date!) {\n    ledger(id: $id) { ... on Ledger { sales(date: $date) { edges { node { order { sales { order { sales { order { sales { order { sales { order { reference } } } } } } } } } } } } } }\n  }\n"): (typeof documents)["\n  query ErrorsDeep($id: String!, $date: Date!) {\n    ledger(id: $id) { ... on Ledger { sales(date: $date) { edges { node { order { sales { order { sales { order { sales { order { sales { order { reference } } } } } } } } } } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JoinDay($ledgerId: String!, $date: Date!, $first: Int) {\n    ledger(id: $ledgerId) {\n      __typename\n      ... on Ledger {\n        ledgerId\n        sales(date: $date, first: $first) {\n          totalCount\n          pageInfo { hasNextPage }\n          edges {\n            node {\n              id\n              kind\n              entryType\n              reference\n              pspReference\n              paymentType\n              gross { minorUnits currency decimal }\n              orderLines {\n                lineId\n                quantity\n                unitPriceGross { minorUnits }\n                discount { minorUnits }\n                lineTotalGross { minorUnits }\n                lineTotalNet { minorUnits }\n                vatAmount { minorUnits }\n                vatRate { basisPoints percent }\n              }\n              completeness { hasLineItems hasVatBreakdown }\n              captures { kind ledgerDate pspReference reference amount { minorUnits } }\n              fees { kind ledgerDate pspReference amount { minorUnits } }\n              settlement { status ledgerDate checkedDates }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query JoinDay($ledgerId: String!, $date: Date!, $first: Int) {\n    ledger(id: $ledgerId) {\n      __typename\n      ... on Ledger {\n        ledgerId\n        sales(date: $date, first: $first) {\n          totalCount\n          pageInfo { hasNextPage }\n          edges {\n            node {\n              id\n              kind\n              entryType\n              reference\n              pspReference\n              paymentType\n              gross { minorUnits currency decimal }\n              orderLines {\n                lineId\n                quantity\n                unitPriceGross { minorUnits }\n                discount { minorUnits }\n                lineTotalGross { minorUnits }\n                lineTotalNet { minorUnits }\n                vatAmount { minorUnits }\n                vatRate { basisPoints percent }\n              }\n              completeness { hasLineItems hasVatBreakdown }\n              captures { kind ledgerDate pspReference reference amount { minorUnits } }\n              fees { kind ledgerDate pspReference amount { minorUnits } }\n              settlement { status ledgerDate checkedDates }\n            }\n          }\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
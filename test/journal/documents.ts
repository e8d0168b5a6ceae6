import { graphql } from '../gql/index.ts';

/** The documents of the journal suites. */

export const JournalLines = graphql(`
  query JournalLines($ledgerId: String!, $from: Date!, $to: Date!, $after: String) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        journal(from: $from, to: $to) {
          from to isFinal
          debit { minorUnits }
          credit { minorUnits }
          lines(first: 1000, after: $after) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges {
              node {
                trace date group account { number name } debit { minorUnits decimal } credit { minorUnits decimal }
                vatBasis vatRatePercent vatCode entryCount reference
              }
            }
          }
        }
      }
    }
  }
`);

export const JournalTotals = graphql(`
  query JournalTotals($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) { __typename ... on Ledger { journal(from: $from, to: $to) { isFinal debit { minorUnits } credit { minorUnits } lines(first: 1) { totalCount } } } }
  }
`);

export const JournalLineEntries = graphql(`
  query JournalLineEntries($ledgerId: String!, $from: Date!, $to: Date!, $first: Int!, $after: String) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        journal(from: $from, to: $to) {
          lines(first: 1000) {
            edges {
              node {
                trace entryCount
                entries(first: $first, after: $after) {
                  totalCount
                  pageInfo { hasNextPage endCursor }
                  edges { node { topic entryType pspReference amount { minorUnits } } }
                }
              }
            }
          }
        }
      }
    }
  }
`);

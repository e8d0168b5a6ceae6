import { graphql } from './gql/index.ts';

/**
 * Every document the portal sends, one per view: the build ships their ids only (the gateway
 * trusts `gql/persisted-documents.json`), so a page that is tampered with cannot ask anything else.
 */

graphql(`
  fragment Amount on Money {
    decimal
    currency
  }
`);

export const Ledgers = graphql(`
  query PortalLedgers {
    ledgers(first: 50) {
      totalCount
      edges {
        node {
          ledgerId
          currency
          timeZone
          salesUnits {
            name
          }
        }
      }
    }
  }
`);

export const Day = graphql(`
  query PortalDay($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on NotFoundError {
        message
      }
      ... on Ledger {
        ledgerId
        timeZone
        day(date: $date) {
          isClosed
          openingBalance { ...Amount }
          closingBalance { ...Amount }
          movements {
            captures { count amount { ...Amount } }
            refunds { count amount { ...Amount } }
            fees { retained { count amount { ...Amount } } }
            payouts { count amount { ...Amount } }
          }
          sales {
            all { count gross { ...Amount } }
          }
        }
        sales(date: $date, first: 200) {
          totalCount
          edges {
            node {
              time
              reference
              pspReference
              gross { ...Amount }
              orderLines { name quantity lineTotalGross { ...Amount } }
              captures { ledgerDate amount { ...Amount } }
              fees { ledgerDate amount { ...Amount } }
              settlement { status ledgerDate }
            }
          }
        }
      }
    }
  }
`);

export const Payouts = graphql(`
  query PortalPayouts($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on NotFoundError {
        message
      }
      ... on Ledger {
        ledgerId
        timeZone
        payouts(from: $from, to: $to) {
          payoutId
          payoutNumber
          date
          time
          amount { ...Amount }
          coveredDates
          isCoverageComplete
          sales(first: 100) {
            totalCount
            edges { node { reference time gross { ...Amount } } }
          }
        }
      }
    }
  }
`);

export const Reconciliation = graphql(`
  query PortalReconciliation($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on NotFoundError {
        message
      }
      ... on Ledger {
        ledgerId
        timeZone
        reconciliation(date: $date) {
          isFinal
          salesCount
          matchedCount
          totals {
            salesGross { ...Amount }
            bookedForSales { ...Amount }
            difference { ...Amount }
          }
          salesWithoutMovement { outcome sale { reference time gross { ...Amount } } }
          amountMismatches { outcome difference { ...Amount } sale { reference time gross { ...Amount } } }
          movementsWithoutSale { isExpected reason movement { entryType time pspReference amount { ...Amount } } }
        }
      }
    }
  }
`);

export const ClosedDates = graphql(`
  subscription PortalClosedDates($ledgerIds: [String!]!, $since: String) {
    ledgerDateClosed(ledgerIds: $ledgerIds, since: $since) {
      ledgerId
      date
      closingBalance {
        ...Amount
      }
      cursor
    }
  }
`);

import { graphql } from '../gql/index.ts';

/** One ledger day as a partner portal shows it: the sales, their lines, captures, fees and settlement. */
export const LedgerDay = graphql(`
  query PortalLedgerDay($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        sales(date: $date, first: 1000) {
          totalCount
          edges {
            node {
              pspReference
              reference
              gross { minorUnits }
              orderLines { name lineTotalGross { minorUnits } }
              captures { ledgerDate amount { minorUnits } }
              fees { ledgerDate amount { minorUnits } }
              settlement { status ledgerDate }
            }
          }
        }
      }
    }
  }
`);

import { graphql } from '../gql/index.ts';

/** The books of a date or a range as the suites ask for them: one fragment for every figure. */

export const VatBreakdownFields = graphql(`
  fragment VatBreakdownFields on VatBreakdown {
    gross { minorUnits } net { minorUnits } vat { minorUnits }
    byRate { rateBasisPoints ratePercent lineCount gross { minorUnits } net { minorUnits } vat { minorUnits } }
    withoutRate { saleCount gross { minorUnits } net { minorUnits } vat { minorUnits } }
    lacking { saleCount lineCount gross { minorUnits } }
  }
`);

export const Tally = graphql(`
  fragment Tally on MovementTally { count amount { minorUnits } }
`);

export const TypeTally = graphql(`
  fragment TypeTally on MovementTypeTally { topic kind entryType count amount { minorUnits } }
`);

export const SalesTallyFields = graphql(`
  fragment SalesTallyFields on SalesTally {
    count gross { minorUnits } net { minorUnits } vat { minorUnits } countLackingVat grossLackingVat { minorUnits }
  }
`);

export const Books = graphql(`
  fragment Books on LedgerBooks {
    isClosed
    openingBalance { minorUnits }
    closingBalance { minorUnits }
    fundsAccount { opening { minorUnits } closing { minorUnits } entryCount }
    feesAccount { opening { minorUnits } closing { minorUnits } entryCount }
    movements {
      captures { ...Tally }
      refunds { ...Tally }
      fees { captureFees { ...Tally } retained { ...Tally } invoiced { ...Tally } }
      disputes { retained { ...Tally } returned { ...Tally } net { minorUnits } }
      payouts { ...Tally }
      other { ...TypeTally }
      byType { ...TypeTally }
    }
    sales {
      all { ...SalesTallyFields }
      captures { ...SalesTallyFields }
      refunds { ...SalesTallyFields }
      cash { ...SalesTallyFields }
      bySolution { rawSolution totals { ...SalesTallyFields } }
      byPaymentType { rawPaymentType totals { ...SalesTallyFields } }
      vat { ...VatBreakdownFields }
    }
  }
`);

/** The books of a range of at most 31 dates, as a whole and date by date with each date's payout. */
export const BooksPeriod = graphql(`
  query BooksPeriod($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        period(from: $from, to: $to) {
          ...Books
          from
          to
          days { date ...Books payout { payoutNumber amount { minorUnits } } }
        }
      }
    }
  }
`);

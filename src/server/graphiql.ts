/**
 * The query GraphiQL opens with: one ledger day's sales joined with what the Report API booked
 * for each of them, which is what this gateway is for.
 */
const query = `# One ledger day: what was sold (Sales API), joined on pspReference with
# what happened to the money (Report API). Change the variables below.
query LedgerDay($ledgerId: String!, $date: Date!) {
  ledger(id: $ledgerId) {
    __typename
    ... on NotFoundError { message }
    ... on Ledger {
      ledgerId
      currency
      salesUnits { name recipientHandle }
      sales(date: $date, first: 10) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          node {
            time
            reference
            pspReference
            solution
            paymentType
            gross { decimal currency }
            orderLines { name quantity lineTotalGross { decimal } vatRate { percent } }
            captures { ledgerDate amount { decimal } }
            fees { ledgerDate amount { decimal } }
            settlement { status ledgerDate }
          }
        }
      }
    }
  }
}
`;

export function exampleQuery(example: { ledgerId: string; date: string } | undefined): { query: string; variables: string } {
  const variables = example ?? {
    ledgerId: 'your ledgerId (see Query.ledgers)',
    date: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
  };
  return { query, variables: JSON.stringify(variables, null, 2) };
}

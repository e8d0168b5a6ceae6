/** The part of the gateway's schema the query touches, with the same types at its leaves. */
export const leanTypeDefs = /* GraphQL */ `
  scalar Date
  scalar MinorUnits
  scalar Currency
  type Query { ledger(id: String!): Ledger }
  type Ledger { sales(date: Date!, first: Int): SaleConnection }
  type SaleConnection { totalCount: Int!, edges: [SaleEdge!]! }
  type SaleEdge { node: Sale! }
  type Money { minorUnits: MinorUnits!, decimal: String!, currency: Currency! }
  type VatRate { basisPoints: Int! }
  type OrderLine {
    lineId: String!, name: String!, quantity: Float!
    unitPriceGross: Money, discount: Money, lineTotalGross: Money, vatRate: VatRate
  }
  type MoneyMovement { entryType: String!, ledgerDate: Date!, amount: Money! }
  type Sale {
    entryType: String!, time: String!, reference: String!, pspReference: String, gross: Money
    orderLines: [OrderLine!]!, captures: [MoneyMovement!], fees: [MoneyMovement!]
  }
`;

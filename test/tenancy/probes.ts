import { print } from 'graphql';
import { graphql } from '../gql/index.ts';

/**
 * What the cross-tenant fuzz asks of every entry point, as fragments checked against the schema
 * by codegen. Dates are written in: every fuzz document asks about the same closed dates, which
 * the owners read first to warm every cache layer.
 */

export const fuzzDates = { date: '2026-05-14', day: '2026-05-15', from: '2026-05-13', to: '2026-05-16' } as const;

const NotFoundProbe = graphql(`
  fragment NotFoundProbe on NotFoundError {
    message
    resource
    key
  }
`);

const LedgerFacts = graphql(`
  fragment LedgerFacts on Ledger {
    id
    ledgerId
    currency
    settlesForRecipientHandles
  }
`);

const SaleFacts = graphql(`
  fragment SaleFacts on Sale {
    id
    ledgerId
    pspReference
    reference
    time
    gross {
      minorUnits
    }
  }
`);

/** Every range and date a ledger answers for, on the fuzz dates. */
const LedgerRanges = graphql(`
  fragment LedgerRanges on Ledger {
    ledgerId
    sales(date: "2026-05-14", first: 8) {
      totalCount
      edges {
        node {
          id
          ledgerId
          pspReference
          reference
        }
      }
    }
    moneyMovements(date: "2026-05-14", first: 8) {
      edges {
        node {
          pspReference
          reference
          recipientHandle
        }
      }
    }
    day(date: "2026-05-15") {
      ledgerId
      closingBalance {
        minorUnits
      }
    }
    period(from: "2026-05-13", to: "2026-05-16") {
      ledgerId
      closingBalance {
        minorUnits
      }
      payouts {
        payoutId
        ledgerId
      }
    }
    payouts(from: "2026-05-13", to: "2026-05-16") {
      payoutId
      payoutNumber
      ledgerId
      date
    }
    vatSummary(from: "2026-05-13", to: "2026-05-16") {
      from
      isFinal
    }
    reconciliation(date: "2026-05-15") {
      salesCount
      matchedCount
      salesFromDateBefore {
        sale {
          pspReference
          ledgerId
        }
      }
    }
  }
`);

const OrderFacts = graphql(`
  fragment OrderFacts on Order {
    reference
    ledger {
      ledgerId
    }
    sales {
      pspReference
      ledgerId
    }
  }
`);

const PayoutFacts = graphql(`
  fragment PayoutFacts on Payout {
    payoutId
    ledgerId
    date
  }
`);

/** The fragments by name, printed once; a document carries the ones it spreads (GraphQL refuses unused ones). */
const fragments = new Map(
  [NotFoundProbe, LedgerFacts, SaleFacts, LedgerRanges, OrderFacts, PayoutFacts].map((fragment) => {
    const text = print(fragment);
    const name = /^fragment (\w+)/.exec(text)?.[1];
    if (name === undefined) throw new Error('a probe is not a fragment');
    return [name, text] as const;
  }),
);

/** One aliased field of a fuzz document, by entry point. */
export const probe = {
  list: () => 'ledgers(first: 100) { totalCount edges { node { ...LedgerFacts } } }',
  ledger: (id: string) => `ledger(id: ${JSON.stringify(id)}) { __typename ...LedgerFacts ...NotFoundProbe }`,
  ledgerRanges: (id: string) => `ledger(id: ${JSON.stringify(id)}) { __typename ...LedgerRanges ...NotFoundProbe }`,
  node: (id: string) => `node(id: ${JSON.stringify(id)}) { __typename ...LedgerFacts ...SaleFacts }`,
  nodeRanges: (id: string) => `node(id: ${JSON.stringify(id)}) { __typename ...LedgerRanges }`,
  sale: (ledgerId: string, pspReference: string) =>
    `sale(ledgerId: ${JSON.stringify(ledgerId)}, pspReference: ${JSON.stringify(pspReference)}) { __typename ...SaleFacts ...NotFoundProbe }`,
  order: (ledgerId: string, reference: string) =>
    `order(ledgerId: ${JSON.stringify(ledgerId)}, reference: ${JSON.stringify(reference)}) { __typename ...OrderFacts ...NotFoundProbe }`,
  handle: (recipientHandle: string) =>
    `ledgers(recipientHandle: ${JSON.stringify(recipientHandle)}, first: 20) { totalCount edges { node { ...LedgerFacts } } }`,
  payout: (ledgerId: string, payoutNumber: string) =>
    `ledger(id: ${JSON.stringify(ledgerId)}) { __typename ...NotFoundProbe ... on Ledger { payout(payoutNumber: ${JSON.stringify(payoutNumber)}, near: "${fuzzDates.day}") { __typename ...PayoutFacts ...NotFoundProbe } } }`,
} as const;

/** A document of aliased fields (`a0`, `a1`, …) with the fragments they spread. */
export function probeDocument(fields: readonly string[]): string {
  const body = fields.map((field, index) => `  a${index}: ${field}`).join('\n');
  const spread = [...fragments].filter(([name]) => new RegExp(`\\.\\.\\.${name}\\b`).test(body));
  return `query Probe {\n${body}\n}\n${spread.map(([, text]) => text).join('\n')}`;
}

import { z } from 'zod';

/** The books of one or more dates as the suites ask for them, and zod models of the answers. */

const minor = z.object({ minorUnits: z.number().int() });
const nullableMinor = minor.nullable();
const tally = z.object({ count: z.number().int(), amount: minor });
const typeTally = z.object({ topic: z.enum(['FUNDS', 'FEES']), kind: z.string(), entryType: z.string(), count: z.number().int(), amount: minor });
const salesTally = z.object({
  count: z.number().int(),
  gross: minor,
  net: minor,
  vat: minor,
  countLackingVat: z.number().int(),
  grossLackingVat: minor,
});
const amounts = { gross: minor, net: minor, vat: minor };
const account = z.object({ opening: nullableMinor, closing: nullableMinor, entryCount: z.number().int() });

export const vatBreakdownModel = z.object({
  ...amounts,
  byRate: z.array(z.object({ rateBasisPoints: z.number().int(), ratePercent: z.string(), lineCount: z.number().int(), ...amounts })),
  withoutRate: z.object({ saleCount: z.number().int(), ...amounts }),
  lacking: z.object({ saleCount: z.number().int(), lineCount: z.number().int(), gross: minor }),
});

export const booksModel = z.object({
  isClosed: z.boolean(),
  openingBalance: nullableMinor,
  closingBalance: nullableMinor,
  fundsAccount: account,
  feesAccount: account,
  movements: z.object({
    captures: tally,
    refunds: tally,
    fees: z.object({ captureFees: tally, retained: tally, invoiced: tally }),
    disputes: z.object({ retained: tally, returned: tally, net: minor }),
    payouts: tally,
    other: z.array(typeTally),
    byType: z.array(typeTally),
  }),
  sales: z.object({
    all: salesTally,
    captures: salesTally,
    refunds: salesTally,
    cash: salesTally,
    bySolution: z.array(z.object({ rawSolution: z.string().nullable(), totals: salesTally })),
    byPaymentType: z.array(z.object({ rawPaymentType: z.string().nullable(), totals: salesTally })),
    vat: vatBreakdownModel,
  }),
});
export type BooksAnswer = z.infer<typeof booksModel>;

export const vatBreakdownFragment = /* GraphQL */ `
  fragment VatBreakdownFields on VatBreakdown {
    gross { minorUnits } net { minorUnits } vat { minorUnits }
    byRate { rateBasisPoints ratePercent lineCount gross { minorUnits } net { minorUnits } vat { minorUnits } }
    withoutRate { saleCount gross { minorUnits } net { minorUnits } vat { minorUnits } }
    lacking { saleCount lineCount gross { minorUnits } }
  }
`;

export const booksFragment = /* GraphQL */ `
  fragment Tally on MovementTally { count amount { minorUnits } }
  fragment TypeTally on MovementTypeTally { topic kind entryType count amount { minorUnits } }
  fragment SalesTallyFields on SalesTally {
    count gross { minorUnits } net { minorUnits } vat { minorUnits } countLackingVat grossLackingVat { minorUnits }
  }
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
  ${vatBreakdownFragment}
`;

export const dayModel = booksModel.extend({
  date: z.string(),
  payout: z.object({ payoutNumber: z.string(), amount: minor }).nullable(),
});

export const periodModel = booksModel.extend({ from: z.string(), to: z.string(), days: z.array(dayModel) });
export type PeriodAnswer = z.infer<typeof periodModel>;

/** Up to three periods of one ledger in one request (aliases `p0`, `p1`, `p2`). */
export function periodsQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, index) => `$from${index}: Date!, $to${index}: Date!`).join(', ');
  const periods = Array.from(
    { length: count },
    (_, index) => `p${index}: period(from: $from${index}, to: $to${index}) {
      ...Books from to
      days { date ...Books payout { payoutNumber amount { minorUnits } } }
    }`,
  ).join('\n');
  return /* GraphQL */ `
    query Periods($ledgerId: String!, ${variables}) {
      ledger(id: $ledgerId) { __typename ... on Ledger { ${periods} } }
    }
    ${booksFragment}
  `;
}

export const periodsModel = z.object({
  ledger: z.object({ __typename: z.literal('Ledger') }).catchall(periodModel),
});

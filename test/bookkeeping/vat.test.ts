import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addDays, datesFrom } from '../../src/kernel/calendar.ts';
import { vatBreakdownFragment, vatBreakdownModel } from './books-documents.ts';
import { canonicalVat, expectedVat } from './canonical.ts';
import { vatSums } from './expected.ts';
import { booksNow, useBooksHarness } from './harness.ts';

/** The VAT summary of a month equals the sums by rate of the raw order lines, and lists what lacks VAT apart. */

const today = booksNow.slice(0, 10);

const summaryQuery = /* GraphQL */ `
  query Vat($ledgerId: String!, $from: Date!, $to: Date!, $after: String) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        vatSummary(from: $from, to: $to) {
          from to isFinal
          breakdown { ...VatBreakdownFields }
          salesLackingVat(first: 500, after: $after) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges { node { reference entryType completeness { hasVatBreakdown } } }
          }
        }
      }
    }
  }
  ${vatBreakdownFragment}
`;
const summaryModel = z.object({
  ledger: z.object({
    vatSummary: z.object({
      from: z.string(),
      to: z.string(),
      isFinal: z.boolean(),
      breakdown: vatBreakdownModel,
      salesLackingVat: z.object({
        totalCount: z.number().int(),
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
        edges: z.array(z.object({ node: z.object({ reference: z.string(), entryType: z.string(), completeness: z.object({ hasVatBreakdown: z.boolean() }) }) })),
      }),
    }),
  }),
});

describe('the VAT summary', () => {
  const harness = useBooksHarness();

  it('of 31 dates equals the sums by rate of the raw order lines, with every sale lacking VAT listed', async () => {
    const ledger = await harness().ledger((candidate) => candidate.kind === 'vm' && candidate.cutoffHour === 4);
    const from = addDays(today, -31);
    const to = addDays(today, -1);
    const gateway = harness().gateway();
    const variables = { ledgerId: ledger.ledgerId, from, to };
    const [first, days] = await Promise.all([
      gateway.query(summaryModel, summaryQuery, variables),
      harness().raw.days(ledger.ledgerId, datesFrom(from, to)),
    ]);
    const sales = days.flatMap((day) => day.sales);
    const sums = vatSums(sales);
    const summary = first.ledger.vatSummary;
    expect({ from: summary.from, to: summary.to, isFinal: summary.isFinal }).toEqual({ from, to, isFinal: true });
    expect(canonicalVat(summary.breakdown)).toEqual(expectedVat(sums, sales.reduce((total, sale) => total + sale.amounts.gross, 0)));
    // Several rates, VAT without a rate, and gaps: every branch of the split is exercised.
    expect(summary.breakdown.byRate.length).toBeGreaterThan(1);
    expect(sums.withoutRate.saleCount).toBeGreaterThan(0);
    expect(sums.lacking.saleCount).toBeGreaterThan(0);

    const listed = [...summary.salesLackingVat.edges];
    let page = summary.salesLackingVat;
    while (page.pageInfo.hasNextPage) {
      page = (await gateway.query(summaryModel, summaryQuery, { ...variables, after: page.pageInfo.endCursor })).ledger.vatSummary.salesLackingVat;
      listed.push(...page.edges);
    }
    expect(summary.salesLackingVat.totalCount).toBe(sums.lacking.saleCount);
    expect(listed).toHaveLength(sums.lacking.saleCount);
    expect(listed.every((edge) => !edge.node.completeness.hasVatBreakdown)).toBe(true);
  });

  it('is not final while its last date is open', async () => {
    const ledger = await harness().ledger((candidate) => candidate.busiest);
    const answer = await harness().gateway().query(summaryModel, summaryQuery, { ledgerId: ledger.ledgerId, from: addDays(today, -1), to: today });
    expect(answer.ledger.vatSummary.isFinal).toBe(false);
  });
});

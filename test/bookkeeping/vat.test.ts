import { describe, expect } from 'vitest';
import { addDays, datesFrom } from '../../src/kernel/calendar.ts';
import { graphql } from '../gql/index.ts';
import { today } from '../support/clock.ts';
import type { GraphClient } from '../support/graphql.ts';
import { narrow, present } from '../support/answers.ts';
import { canonicalVat, expectedVat } from './canonical.ts';
import { vatSums } from './expected.ts';
import { it } from './harness.ts';

/** The VAT summary of a month equals the sums by rate of the raw order lines, and lists what lacks VAT apart. */

const VatSummary = graphql(`
  query VatSummary($ledgerId: String!, $from: Date!, $to: Date!, $after: String) {
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
`);

/** The VAT summary of one ledger and range, with one page of its sales lacking VAT. */
async function vatSummary(gateway: GraphClient, variables: { ledgerId: string; from: string; to: string; after?: string | null }) {
  const summary = present(narrow((await gateway.execute(VatSummary, variables)).ledger, 'Ledger').vatSummary, 'vatSummary');
  return { ...summary, breakdown: present(summary.breakdown, 'breakdown'), salesLackingVat: present(summary.salesLackingVat, 'salesLackingVat') };
}

describe('the VAT summary', () => {
  it('of 31 dates equals the sums by rate of the raw order lines, with every sale lacking VAT listed', async ({ emulator, gateway, raw }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && candidate.cutoffHour === 4);
    const from = addDays(today, -31);
    const to = addDays(today, -1);
    const variables = { ledgerId: ledger.ledgerId, from, to };
    const [summary, days] = await Promise.all([vatSummary(gateway, variables), raw.days(ledger.ledgerId, datesFrom(from, to))]);
    const sales = days.flatMap((day) => day.sales);
    const sums = vatSums(sales);
    expect({ from: summary.from, to: summary.to, isFinal: summary.isFinal }).toEqual({ from, to, isFinal: true });
    expect(canonicalVat(summary.breakdown)).toEqual(expectedVat(sums, sales.reduce((total, sale) => total + sale.amounts.gross, 0)));
    // Several rates, VAT without a rate, and gaps: every branch of the split is exercised.
    expect(summary.breakdown.byRate.length).toBeGreaterThan(1);
    expect(sums.withoutRate.saleCount).toBeGreaterThan(0);
    expect(sums.lacking.saleCount).toBeGreaterThan(0);

    const listed = [...summary.salesLackingVat.edges];
    let page = summary.salesLackingVat;
    while (page.pageInfo.hasNextPage) {
      page = (await vatSummary(gateway, { ...variables, after: page.pageInfo.endCursor })).salesLackingVat;
      listed.push(...page.edges);
    }
    expect(summary.salesLackingVat.totalCount).toBe(sums.lacking.saleCount);
    expect(listed).toHaveLength(sums.lacking.saleCount);
    expect(listed.every((edge) => !present(edge.node.completeness, 'completeness').hasVatBreakdown)).toBe(true);
  });

  it('is not final while its last date is open', async ({ emulator, gateway }) => {
    const ledger = await emulator.ledger((candidate) => candidate.busiest);
    const summary = await vatSummary(gateway, { ledgerId: ledger.ledgerId, from: addDays(today, -1), to: today });
    expect(summary.isFinal).toBe(false);
  });
});

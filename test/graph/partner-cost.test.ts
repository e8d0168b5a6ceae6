import { getOperationAST, Kind, type DocumentNode, type FragmentDefinitionNode } from 'graphql';
import { describe, expect } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import { estimateCost } from '../../src/schema/cost.ts';
import { schema } from '../../src/schema/index.ts';
import { graphql } from '../gql/index.ts';
import { today } from '../support/clock.ts';
import { it } from '../support/harness.ts';
import { routes } from '../support/routes.ts';

/**
 * The cost estimate of the payout, dispute, fee and payer fields is an upper bound of what they
 * read: each document runs on a cold gateway, and its upstream date reads (whole dates are one
 * page here) never exceed its estimate, which stays under the default limit.
 */

it.override('emulatorOptions', { reportPageSize: 10_000 });

const SalesJoined = graphql(`
  query CostSalesJoined($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        sales(date: $date, first: 1000) {
          edges { node { payout { payoutId status } feeTotals { fees { minorUnits } } payer { name } } }
        }
      }
    }
  }
`);

const MovementsJoined = graphql(`
  query CostMovementsJoined($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger { moneyMovements(date: $date, topic: FUNDS, first: 1000) { edges { node { payout { payoutId } payer { name } } } } }
    }
  }
`);

const RangeFigures = graphql(`
  query CostRangeFigures($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        fees(from: $from, to: $to) { totals { fees { minorUnits } } }
        disputes(from: $from, to: $to) { outcome sale { pspReference } order { reference } }
      }
    }
  }
`);

function estimate(document: DocumentNode, variables: Record<string, unknown>): number {
  const operation = getOperationAST(document);
  if (operation === null || operation === undefined) throw new Error('no operation');
  const fragments = new Map(
    document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
  );
  return estimateCost(schema, operation, fragments, variables).cost;
}

describe('the cost of who paid, which payout, disputes and fees', () => {
  it('estimates at least what each document reads cold, and under the default limit', async ({ emulator, admin, openGateway }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && !candidate.busiest);
    const date = addDays(today, -9);
    const cases: Array<[string, DocumentNode, Record<string, unknown>]> = [
      ['sales', SalesJoined, { ledgerId: ledger.ledgerId, date }],
      ['movements', MovementsJoined, { ledgerId: ledger.ledgerId, date }],
      ['range', RangeFigures, { ledgerId: ledger.ledgerId, from: addDays(today, -40), to: addDays(today, -10) }],
    ];
    for (const [name, document, variables] of cases) {
      const gateway = await openGateway();
      await admin.resetStats();
      await gateway.execute(document as never, variables);
      const stats = await admin.stats();
      const reads = (stats.routes[routes.reportDate] ?? 0) + (stats.routes[routes.salesDate] ?? 0) + (stats.routes[routes.salesByPspReference] ?? 0) + (stats.routes[routes.salesByReference] ?? 0);
      const cost = estimate(document, variables);
      expect(reads, name).toBeGreaterThan(0);
      expect(cost, name).toBeGreaterThanOrEqual(reads);
      expect(cost, name).toBeLessThanOrEqual(400);
    }
  });
});

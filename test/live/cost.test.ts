import { getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/schema/cost.ts';
import { schema } from '../../src/schema/index.ts';
import { maxReplayDays } from '../../src/schema/live-events.ts';

/** A subscription is priced like a query: each ledger's replayed dates, and each event's own read per ledger. */

const estimate = (text: string, variables: Record<string, unknown>) => {
  const operation = getOperationAST(parse(text));
  if (operation === null || operation === undefined) throw new Error('one operation');
  return estimateCost(schema, operation, new Map(), variables).cost;
};

const closed = `subscription ($ledgerIds: [String!]!, $since: String) {
  ledgerDateClosed(ledgerIds: $ledgerIds, since: $since) { date closingBalance { minorUnits } }
}`;

describe('the cost of a subscription', () => {
  it('grows with the ledgers named and with a cursor to resume from', () => {
    const three = ['1', '2', '3'];
    expect(estimate(closed, { ledgerIds: three, since: null })).toBe(three.length);
    expect(estimate(closed, { ledgerIds: three, since: 'cursor' })).toBe(three.length * (maxReplayDays + 1));
    expect(estimate(closed.replace(' closingBalance { minorUnits }', ''), { ledgerIds: three, since: null })).toBe(0);
  });
});

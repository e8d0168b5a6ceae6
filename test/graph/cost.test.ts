import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { z } from 'zod';
import { maxDateReadsPerRequest } from '../../src/bookkeeping/ranges.ts';
import { loadConfig } from '../../src/config.ts';
import { addDays } from '../../src/kernel/calendar.ts';
import { exampleQuery } from '../../src/server/graphiql.ts';
import { graphql } from '../gql/index.ts';
import { today } from '../support/clock.ts';
import { it } from '../support/harness.ts';

/**
 * The static cost check: a document estimated above the limit is refused before execution,
 * without a single upstream call, and names its estimate, the limit and the costliest field.
 */

const to = addDays(today, -1);
const from = addDays(to, -30);

/** A 31-day period of one ledger, reading funds, fees and sales. */
const OnePeriod = graphql(`
  query CostOnePeriod($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        p0: period(from: $from, to: $to) { isClosed sales { all { count } } }
      }
    }
  }
`);

/** Five aliased 31-day periods of one ledger. */
const FivePeriods = graphql(`
  query CostFivePeriods($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        p0: period(from: $from, to: $to) { isClosed sales { all { count } } }
        p1: period(from: $from, to: $to) { isClosed sales { all { count } } }
        p2: period(from: $from, to: $to) { isClosed sales { all { count } } }
        p3: period(from: $from, to: $to) { isClosed sales { all { count } } }
        p4: period(from: $from, to: $to) { isClosed sales { all { count } } }
      }
    }
  }
`);

const PeriodFigures = graphql(`
  fragment CostPeriodFigures on LedgerBooks { closingBalance { minorUnits } sales { all { count } } }
`);

const LedgerPeriod = graphql(`
  fragment CostLedgerPeriod on Ledger { period(from: $from, to: $to) { ...CostPeriodFigures } }
`);

/** A period of every ledger of a page, through fragments and variables. */
const Wide = graphql(`
  query CostWide($from: Date!, $to: Date!, $first: Int) { ledgers(first: $first) { edges { node { ...CostLedgerPeriod } } } }
`);

const Skipped = graphql(`
  query CostSkipped($ledgerId: String!, $from: Date!, $to: Date!, $more: Boolean!) {
    ledger(id: $ledgerId) {
      ... on Ledger {
        a: period(from: $from, to: $to) { isClosed }
        b: period(from: $from, to: $to) @include(if: $more) { isClosed }
      }
    }
  }
`);

const refusal = z.object({
  message: z.string(),
  extensions: z.object({ code: z.literal('QUERY_TOO_COSTLY'), cost: z.number(), maxCost: z.number(), costliestPath: z.string() }),
});

describe('query cost', () => {
  let ledgerId: string;

  it.beforeAll(({ emulator }) => {
    const first = emulator.partner.ledgerIds[0];
    if (first === undefined) throw new Error('the demo partner has ledgers');
    ledgerId = first;
  });

  it('lets a 31-day period of one ledger through, within the runtime budget', async ({ gateway }) => {
    const answered = await gateway.request(OnePeriod, { ledgerId, from, to });
    expect(answered.errors).toEqual([]);
    expect(answered.data).toMatchObject({ ledger: { p0: { isClosed: true } } });
  });

  it('refuses several 31-day periods in one document before any upstream call, naming cost, limit and field', async ({ openGateway, admin }) => {
    const gateway = await openGateway({ env: { QUERY_MAX_COST: String(maxDateReadsPerRequest) } });
    await admin.resetStats();
    const answered = await gateway.request(FivePeriods, { ledgerId, from, to });
    expect((await admin.stats()).total).toBe(0);
    expect(answered.data).toBeNull();
    const [error] = z.array(refusal).length(1).parse(answered.errors);
    // Five periods of 31 dates on three accounts.
    expect(error?.extensions).toEqual({ code: 'QUERY_TOO_COSTLY', cost: 5 * 31 * 3, maxCost: 400, costliestPath: 'ledger.p0' });
    expect(error?.message).toMatch(/about 465 ledger dates .* at `ledger\.p0`; at most 400 are allowed/);
  });

  it('refuses with the default limit what no runtime budget could answer, fragments and variables resolved', async ({ gateway, admin }) => {
    await admin.resetStats();
    const refused = await gateway.request(Wide, { from, to, first: 1000 });
    expect((await admin.stats()).total).toBe(0);
    const [error] = z.array(refusal).length(1).parse(refused.errors);
    expect(error?.extensions).toMatchObject({ cost: 1000 * 31 * 3, maxCost: loadConfig({}).limits.maxQueryCost, costliestPath: 'ledgers.edges.node.period' });
    // A page of one ledger is the same document at a fraction of the cost.
    const one = await gateway.request(Wide, { from, to, first: 1 });
    expect(one.errors).toEqual([]);
  });

  it('counts what is skipped as free and a shorter range as fewer dates', async ({ openGateway }) => {
    const gateway = await openGateway({ env: { QUERY_MAX_COST: '100' } });
    expect((await gateway.request(Skipped, { ledgerId, from, to, more: false })).errors).toEqual([]);
    expect((await gateway.request(Skipped, { ledgerId, from, to, more: true })).errors[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    // Two accounts over 31 dates twice is 124; over 20 dates twice it is 80.
    expect((await gateway.request(Skipped, { ledgerId, from: addDays(to, -19), to, more: true })).errors).toEqual([]);
  });

  it("does not refuse GraphiQL's example query or the README's, even at a tenth of the default limit", async ({ openGateway }) => {
    const gateway = await openGateway({ env: { QUERY_MAX_COST: '100' } });
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const documents = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    expect(documents.length).toBeGreaterThanOrEqual(2);
    for (const document of [exampleQuery({ ledgerId, date: to }).query, ...documents]) {
      const answered = await gateway.request(document, { ledgerId, date: to });
      expect(answered.errors).toEqual([]);
    }
  });
});

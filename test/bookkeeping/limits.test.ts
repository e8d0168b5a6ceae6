import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { maxDateReadsPerRequest } from '../../src/bookkeeping/ranges.ts';
import { addDays, datesFrom } from '../../src/kernel/calendar.ts';
import { booksNow, useBooksHarness } from './harness.ts';

/**
 * What a range may cost: at most 31 dates, refused before anything is read; one upstream call
 * per date, account and page when cold, none when every date is closed and cached; and a fixed
 * number of distinct date reads per request, however the ranges are nested.
 */

const today = booksNow.slice(0, 10);
const routes = {
  token: 'POST /miami/v1/token',
  ledgers: 'GET /settlement/v1/ledgers',
  reportDate: 'GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}',
  salesDate: 'GET /sales/report/v1/ledgers/{ledgerId}/dates/{ledgerDate}',
};

const rangeFields = {
  period: 'period(from: $from, to: $to) { isClosed }',
  payouts: 'payouts(from: $from, to: $to) { payoutId }',
  vatSummary: 'vatSummary(from: $from, to: $to) { from }',
} as const;

const periodQuery = /* GraphQL */ `
  query Summary($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        period(from: $from, to: $to) {
          isClosed closingBalance { minorUnits }
          movements { captures { count amount { minorUnits } } fees { captureFees { count amount { minorUnits } } } }
          sales { all { count gross { minorUnits } vat { minorUnits } } vat { byRate { rateBasisPoints vat { minorUnits } } } }
          payouts { payoutNumber amount { minorUnits } }
        }
      }
    }
  }
`;
const periodModel = z.object({ ledger: z.object({ period: z.object({ isClosed: z.boolean() }).loose() }) });

const pages = (count: number) => Math.max(1, Math.ceil(count / 1000));

describe('ranges', () => {
  const harness = useBooksHarness();

  it.each(Object.entries(rangeFields))('of %s are at most 31 dates, refused naming the argument', async (_name, field) => {
    const ledger = (await harness().ledgers())[0];
    if (ledger === undefined) throw new Error('the demo partner has ledgers');
    const query = `query Range($ledgerId: String!, $from: Date!, $to: Date!) { ledger(id: $ledgerId) { __typename ... on Ledger { ${field} } } }`;
    const gateway = harness().gateway();
    await harness().resetStats();
    for (const [from, to, problem] of [
      ['2026-04-01', '2026-05-02', /at most 31 dates\); got 32 dates/],
      ['2026-04-02', '2026-04-01', /must not be before `from`/],
    ] as const) {
      const answer = await gateway.answer(query, { ledgerId: ledger.ledgerId, from, to });
      expect(answer.errors?.[0]?.message).toMatch(problem);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'to' });
    }
    expect((await harness().stats())[routes.reportDate] ?? 0).toBe(0);
    const fine = await gateway.answer(query, { ledgerId: ledger.ledgerId, from: '2026-04-01', to: '2026-05-01' });
    expect(fine.errors).toBeUndefined();
  });

  it('of 31 dates of the busiest ledger cost one call per date, account and page cold, and none warm', async () => {
    const ledger = await harness().ledger((candidate) => candidate.busiest);
    const dates = datesFrom(addDays(today, -31), addDays(today, -1));
    const raw = await harness().raw.days(ledger.ledgerId, dates);
    const reportPages = raw.reduce((sum, day) => sum + pages(day.funds.entries.length) + pages(day.fees.entries.length), 0);
    const salesPages = raw.reduce((sum, day) => sum + pages(day.sales.length), 0);
    expect(reportPages).toBeGreaterThan(62);

    const gateway = harness().gateway({ cache: true });
    const variables = { ledgerId: ledger.ledgerId, from: dates[0], to: dates[dates.length - 1] };
    await harness().resetStats();
    const cold = await gateway.query(periodModel, periodQuery, variables);
    const coldCalls = await harness().stats();
    expect(coldCalls[routes.reportDate]).toBe(reportPages);
    expect(coldCalls[routes.salesDate]).toBe(salesPages);
    expect(Object.keys(coldCalls).sort()).toEqual([routes.token, routes.ledgers, routes.reportDate, routes.salesDate].sort());

    await harness().resetStats();
    const warm = await gateway.query(periodModel, periodQuery, variables);
    expect(await harness().stats()).toEqual({});
    expect(warm).toEqual(cold);
    expect(cold.ledger.period.isClosed).toBe(true);
  });

  it(`of one request read at most ${maxDateReadsPerRequest} distinct ledger dates, however they are nested`, async () => {
    const query = /* GraphQL */ `
      query Everything($from: Date!, $to: Date!) {
        ledgers(first: 20) { edges { node { ledgerId period(from: $from, to: $to) { sales { all { count } } movements { captures { count } } } } } }
      }
    `;
    const ledgers = await harness().ledgers();
    // Three reads per date (funds, fees, sales) over 31 dates, for every ledger of the partner.
    expect(ledgers.length * 31 * 3).toBeGreaterThan(maxDateReadsPerRequest);
    // The static estimate would refuse this document before it runs; lifted here, so that what
    // is tested is the backstop that counts the reads actually made.
    const gateway = harness().gateway({ env: { QUERY_MAX_COST: '1000000' } });
    const answer = await gateway.answer(query, { from: addDays(today, -31), to: addDays(today, -1) });
    const codes = (answer.errors ?? []).map((error) => error.extensions?.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(['COST_LIMIT_EXCEEDED']));
    expect(answer.errors?.[0]?.message).toMatch(new RegExp(`more than ${maxDateReadsPerRequest} ledger dates`));
    // What fits in the budget is still answered.
    const nodes = z.object({ ledgers: z.object({ edges: z.array(z.object({ node: z.object({ period: z.unknown() }) })) }) }).parse(answer.data);
    expect(nodes.ledgers.edges.some((edge) => edge.node.period !== null)).toBe(true);
  });
});

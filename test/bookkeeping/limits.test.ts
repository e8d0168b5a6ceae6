import { describe, expect } from 'vitest';
import { maxDateReadsPerRequest } from '../../src/bookkeeping/ranges.ts';
import { addDays, datesFrom } from '../../src/kernel/calendar.ts';
import { graphql } from '../gql/index.ts';
import { today } from '../support/clock.ts';
import { narrow, present } from '../support/answers.ts';
import { routes } from '../support/routes.ts';
import { it } from './harness.ts';

/**
 * What a range may cost: at most 366 dates, refused before anything is read; one upstream call
 * per date, account and page when cold, none when every date is closed and cached; and a fixed
 * number of distinct date reads per request, however the ranges are nested.
 */

const PeriodRange = graphql(`
  query LimitsPeriodRange($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) { __typename ... on Ledger { period(from: $from, to: $to) { isClosed } } }
  }
`);
const PayoutsRange = graphql(`
  query LimitsPayoutsRange($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) { __typename ... on Ledger { payouts(from: $from, to: $to) { payoutId } } }
  }
`);
const VatSummaryRange = graphql(`
  query LimitsVatSummaryRange($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) { __typename ... on Ledger { vatSummary(from: $from, to: $to) { from } } }
  }
`);
const rangeFields = [
  ['period', PeriodRange],
  ['payouts', PayoutsRange],
  ['vatSummary', VatSummaryRange],
] as const;

const PeriodSummary = graphql(`
  query LimitsPeriodSummary($ledgerId: String!, $from: Date!, $to: Date!) {
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
`);

const EveryLedgerPeriod = graphql(`
  query LimitsEveryLedgerPeriod($from: Date!, $to: Date!) {
    ledgers(first: 20) { edges { node { ledgerId period(from: $from, to: $to) { sales { all { count } } movements { captures { count } } } } } }
  }
`);

const pages = (count: number) => Math.max(1, Math.ceil(count / 1000));

describe('ranges', () => {
  it.for(rangeFields)('of %s are at most 366 dates, refused naming the argument', async ([, document], { emulator, gateway, admin }) => {
    const ledger = (await emulator.grantedLedgers())[0];
    if (ledger === undefined) throw new Error('the demo partner has ledgers');
    await admin.resetStats();
    for (const [from, to, problem] of [
      ['2025-04-01', '2026-04-02', /at most 366 dates\); got 367 dates/],
      ['2026-04-02', '2026-04-01', /must not be before `from`/],
    ] as const) {
      const answer = await gateway.request(document, { ledgerId: ledger.ledgerId, from, to });
      expect(answer.errors[0]?.message).toMatch(problem);
      expect(answer.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'to' });
    }
    expect((await admin.stats()).routes[routes.reportDate] ?? 0).toBe(0);
    const fine = await gateway.request(document, { ledgerId: ledger.ledgerId, from: '2026-04-01', to: '2026-05-01' });
    expect(fine.errors).toEqual([]);
  });

  it('of 31 dates of the busiest ledger cost one call per date, account and page cold, and none warm', async ({ emulator, openGateway, redis, admin, raw }) => {
    const ledger = await emulator.ledger((candidate) => candidate.busiest);
    const dates = datesFrom(addDays(today, -31), addDays(today, -1));
    const rawDays = await raw.days(ledger.ledgerId, dates);
    const reportPages = rawDays.reduce((sum, day) => sum + pages(day.funds.entries.length) + pages(day.fees.entries.length), 0);
    const salesPages = rawDays.reduce((sum, day) => sum + pages(day.sales.length), 0);
    expect(reportPages).toBeGreaterThan(62);

    // Kept in Redis: a month of the busiest ledger outgrows the default memory cache (64 MiB).
    const gateway = await openGateway({ redis });
    const variables = { ledgerId: ledger.ledgerId, from: dates[0] ?? '', to: dates[dates.length - 1] ?? '' };
    await admin.resetStats();
    const cold = await gateway.execute(PeriodSummary, variables);
    const coldCalls = (await admin.stats()).routes;
    expect(coldCalls[routes.reportDate]).toBe(reportPages);
    expect(coldCalls[routes.salesDate]).toBe(salesPages);
    expect(Object.keys(coldCalls).sort()).toEqual([routes.token, routes.ledgers, routes.reportDate, routes.salesDate].sort());

    await admin.resetStats();
    const warm = await gateway.execute(PeriodSummary, variables);
    expect((await admin.stats()).routes).toEqual({});
    expect(warm).toEqual(cold);
    expect(present(narrow(cold.ledger, 'Ledger').period, 'period').isClosed).toBe(true);
    // A month of the busiest ledger, read raw first, then cold and warm through the gateway and Redis.
  }, 60_000);

  it(`of one request read at most ${maxDateReadsPerRequest} distinct ledger dates, however they are nested`, async ({ emulator, openGateway }) => {
    const ledgers = await emulator.grantedLedgers();
    // Three reads per date (funds, fees, sales) over 31 dates, for every ledger of the partner.
    expect(ledgers.length * 31 * 3).toBeGreaterThan(maxDateReadsPerRequest);
    // The static estimate would refuse this document before it runs; lifted here, so that what
    // is tested is the backstop that counts the reads actually made. The deadline is longer than
    // the default: the emulator generates every ledger's dates on first read, which on a busy machine
    // can take longer than the default 10 s, and a timeout is not what this test is about.
    const gateway = await openGateway({ env: { QUERY_MAX_COST: '1000000', REQUEST_DEADLINE_MS: '25000' } });
    const answer = await gateway.request(EveryLedgerPeriod, { from: addDays(today, -31), to: addDays(today, -1) });
    const codes = answer.errors.map((error) => error.extensions?.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(['COST_LIMIT_EXCEEDED']));
    expect(answer.errors[0]?.message).toMatch(new RegExp(`more than ${maxDateReadsPerRequest} ledger dates`));
    // What fits in the budget is still answered.
    expect(answer.data?.ledgers?.edges.some((edge) => edge.node.period !== null)).toBe(true);
  });
});

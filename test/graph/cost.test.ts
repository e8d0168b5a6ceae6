import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { maxDateReadsPerRequest } from '../../src/bookkeeping/ranges.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/logger.ts';
import { exampleQuery } from '../../src/server/graphiql.ts';
import { createGateway, type Gateway } from '../../src/server/gateway.ts';
import { addDays } from '../../src/kernel/calendar.ts';
import { createUpstream, type Upstream } from '../../src/sources/index.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { answerModel, postGraphql } from '../support/graphql.ts';
import { testNow } from './fixtures.ts';

/**
 * The static cost check: a document estimated above the limit is refused before execution,
 * without a single upstream call, and names its estimate, the limit and the costliest field.
 */

const to = addDays(testNow.slice(0, 10), -1);
const from = addDays(to, -30);

/** `count` aliased 31-day periods of one ledger, each reading funds, fees and sales. */
function periods(count: number): string {
  const fields = Array.from({ length: count }, (_, index) => `p${index}: period(from: $from, to: $to) { isClosed sales { all { count } } }`);
  return `query Periods($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) { __typename ... on Ledger { ${fields.join(' ')} } }
  }`;
}

const refusal = z.object({
  message: z.string(),
  extensions: z.object({ code: z.literal('QUERY_TOO_COSTLY'), cost: z.number(), maxCost: z.number(), costliestPath: z.string() }),
});

describe('query cost', () => {
  let t: TestGateway;
  let ledgerId: string;
  const opened: Array<{ gateway: Gateway; upstream: Upstream }> = [];

  /** A gateway over the suite's emulator with its own configuration. */
  const gatewayWith = (env: Record<string, string>): Gateway => {
    const upstream = createUpstream({
      baseUrl: t.emulatorUrl,
      credentials: { clientId: t.partner.clientId, clientSecret: t.partner.clientSecret },
      systemName: 'gateway-tests',
      systemVersion: '1',
    });
    const gateway = createGateway(loadConfig(env), { upstream, logger: silentLogger });
    opened.push({ gateway, upstream });
    return gateway;
  };

  const answer = async (gateway: Gateway, query: string, variables: Record<string, unknown>) => {
    const response = await postGraphql(gateway, query, variables);
    return { status: response.status, ...answerModel.parse(await response.json()) };
  };

  beforeAll(async () => {
    t = await startTestGateway({ now: testNow });
    const first = t.partner.ledgerIds[0];
    if (first === undefined) throw new Error('the demo partner has ledgers');
    ledgerId = first;
  });
  afterAll(async () => {
    await Promise.all(opened.map(async ({ gateway, upstream }) => (await gateway.close(), await upstream.close())));
    await t.close();
  });

  it('lets a 31-day period of one ledger through, within the runtime budget', async () => {
    const answered = await answer(t.gateway, periods(1), { ledgerId, from, to });
    expect(answered.errors).toBeUndefined();
    expect(answered.data).toMatchObject({ ledger: { p0: { isClosed: true } } });
  });

  it('refuses several 31-day periods in one document before any upstream call, naming cost, limit and field', async () => {
    const gateway = gatewayWith({ QUERY_MAX_COST: String(maxDateReadsPerRequest) });
    await t.resetStats();
    const answered = await answer(gateway, periods(5), { ledgerId, from, to });
    expect((await t.stats()).total).toBe(0);
    expect(answered.data ?? null).toBeNull();
    const [error] = z.array(refusal).length(1).parse(answered.errors);
    // Five periods of 31 dates on three accounts.
    expect(error?.extensions).toEqual({ code: 'QUERY_TOO_COSTLY', cost: 5 * 31 * 3, maxCost: 400, costliestPath: 'ledger.p0' });
    expect(error?.message).toMatch(/about 465 ledger dates .* at `ledger\.p0`; at most 400 are allowed/);
  });

  it('refuses with the default limit what no runtime budget could answer, fragments and variables resolved', async () => {
    const query = `
      query Wide($from: Date!, $to: Date!, $first: Int) { ledgers(first: $first) { edges { node { ...Books } } } }
      fragment Books on Ledger { period(from: $from, to: $to) { ...Figures } }
      fragment Figures on LedgerBooks { closingBalance { minorUnits } sales { all { count } } }
    `;
    await t.resetStats();
    const refused = await answer(t.gateway, query, { from, to, first: 1000 });
    expect((await t.stats()).total).toBe(0);
    const [error] = z.array(refusal).length(1).parse(refused.errors);
    expect(error?.extensions).toMatchObject({ cost: 1000 * 31 * 3, maxCost: loadConfig({}).limits.maxQueryCost, costliestPath: 'ledgers.edges.node.period' });
    // A page of one ledger is the same document at a fraction of the cost.
    const one = await answer(t.gateway, query, { from, to, first: 1 });
    expect(one.errors).toBeUndefined();
  });

  it('counts what is skipped as free and a shorter range as fewer dates', async () => {
    const gateway = gatewayWith({ QUERY_MAX_COST: '100' });
    const skipped = `query Skipped($ledgerId: String!, $from: Date!, $to: Date!, $more: Boolean!) {
      ledger(id: $ledgerId) { ... on Ledger { a: period(from: $from, to: $to) { isClosed } b: period(from: $from, to: $to) @include(if: $more) { isClosed } } }
    }`;
    expect((await answer(gateway, skipped, { ledgerId, from, to, more: false })).errors).toBeUndefined();
    expect((await answer(gateway, skipped, { ledgerId, from, to, more: true })).errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    // Two accounts over 31 dates twice is 124; over 20 dates twice it is 80.
    expect((await answer(gateway, skipped, { ledgerId, from: addDays(to, -19), to, more: true })).errors).toBeUndefined();
  });

  it("does not refuse GraphiQL's example query or the README's, even at a tenth of the default limit", async () => {
    const gateway = gatewayWith({ QUERY_MAX_COST: '100' });
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const documents = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    expect(documents.length).toBeGreaterThanOrEqual(2);
    for (const document of [exampleQuery({ ledgerId, date: to }).query, ...documents]) {
      const answered = await answer(gateway, document, { ledgerId, date: to });
      expect(answered.errors).toBeUndefined();
    }
  });
});

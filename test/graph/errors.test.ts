import { getIntrospectionQuery, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { ledgerTraits, testNow } from './fixtures.ts';

const LedgerSales = graphql(`
  query ErrorsLedgerSales($id: String!, $date: Date!, $first: Int, $after: String) {
    ledger(id: $id) {
      __typename
      ... on NotFoundError {
        message
        resource
        key
      }
      ... on Ledger {
        sales(date: $date, first: $first, after: $after) {
          totalCount
          edges {
            cursor
          }
        }
      }
    }
  }
`);

const LiteralDate = graphql(`
  query ErrorsLiteralDate($id: String!) {
    ledger(id: $id) {
      ... on Ledger {
        sales(date: "2026-02-30") {
          totalCount
        }
      }
    }
  }
`);

const Node = graphql(`
  query ErrorsNode($id: ID!) {
    node(id: $id) {
      id
      __typename
    }
  }
`);

const TwoLedgers = graphql(`
  query ErrorsTwoLedgers($good: String!, $bad: String!, $date: Date!) {
    good: ledger(id: $good) {
      __typename
      ... on Ledger {
        ledgerId
        sales(date: $date, first: 1) {
          totalCount
        }
      }
    }
    bad: ledger(id: $bad) {
      __typename
      ... on NotFoundError {
        message
        resource
        key
      }
    }
  }
`);

const SaleAndLedger = graphql(`
  query ErrorsSaleAndLedger($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        sales(date: $date, first: 5) {
          totalCount
          edges {
            node {
              pspReference
              fees {
                pspReference
              }
              captures {
                pspReference
              }
            }
          }
        }
      }
    }
  }
`);

const Deep = graphql(`
  query ErrorsDeep($id: String!, $date: Date!) {
    ledger(id: $id) {
      ... on Ledger {
        sales(date: $date) {
          edges {
            node {
              order {
                sales {
                  order {
                    sales {
                      order {
                        sales {
                          order {
                            sales {
                              order {
                                reference
                              }
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`);

describe('errors', () => {
  let t: TestGateway;
  let granted: string;
  let notGranted: string;
  const date = '2026-05-10';

  beforeAll(async () => {
    t = await startTestGateway({ now: testNow });
    const traits = await ledgerTraits(t);
    granted = t.partner.ledgerIds[0] ?? '';
    const other = traits.find((ledger) => !ledger.grantedTo.includes(t.partner.clientId));
    if (other === undefined) throw new Error('the emulator should have a ledger the demo partner is not granted');
    notGranted = other.ledgerId;
  });
  afterAll(() => t.close());

  it('answers an impossible date in a variable with BAD_USER_INPUT naming the variable', async () => {
    const response = await t.executeRaw(LedgerSales, { id: granted, date: '2026-02-30' });
    const [error] = response.body.errors ?? [];
    expect(error?.message).toContain('$date');
    expect(error?.message).toContain('real calendar date');
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.body.data ?? null).toBeNull();
  });

  it('answers an impossible date literal with BAD_USER_INPUT naming the argument', async () => {
    const response = await t.executeRaw(LiteralDate, { id: granted });
    const [error] = response.body.errors ?? [];
    expect(error?.message).toMatch(/^Argument "date" has an invalid value/);
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'date' });
  });

  it.each([
    [{ first: -1 }, 'first', 'between 0 and 1000'],
    [{ first: 1001 }, 'first', 'between 0 and 1000'],
    [{ after: 'not-a-cursor' }, 'after', 'not a cursor'],
  ])('answers %o with BAD_USER_INPUT naming the argument', async (args, argument, text) => {
    const response = await t.executeRaw(LedgerSales, { id: granted, date, ...args });
    const [error] = response.body.errors ?? [];
    expect(error?.message).toContain(`Argument "${argument}"`);
    expect(error?.message).toContain(text);
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(error?.path).toEqual(['ledger', 'sales']);
  });

  it('answers a malformed global id with BAD_USER_INPUT naming the argument, and an unknown one with null', async () => {
    const malformed = await t.executeRaw(Node, { id: 'bm9wZQ==' });
    expect(malformed.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
    const unknownLedger = await t.execute(Node, { id: Buffer.from('Ledger:no-such-ledger').toString('base64') });
    expect(unknownLedger.node).toBeNull();
  });

  it('answers a ledger that is not granted exactly like one that does not exist: NotFoundError data', async () => {
    const notGrantedAnswer = await t.execute(LedgerSales, { id: notGranted, date });
    const unknownAnswer = await t.execute(LedgerSales, { id: 'no-such-ledger', date });
    expect(notGrantedAnswer.ledger).toMatchObject({ __typename: 'NotFoundError', resource: 'Ledger', key: notGranted });
    expect(unknownAnswer.ledger).toMatchObject({ __typename: 'NotFoundError', resource: 'Ledger', key: 'no-such-ledger' });
  });

  it('answers the rest of a query when one field finds nothing', async () => {
    const answer = await t.execute(TwoLedgers, { good: granted, bad: notGranted, date });
    expect(answer.good).toMatchObject({ __typename: 'Ledger', ledgerId: granted });
    expect(answer.bad).toMatchObject({ __typename: 'NotFoundError', key: notGranted });
  });

  it('answers an upstream failure in one field with its code and still resolves the others', async () => {
    const client = t.connect();
    await t.admin('PUT', 'faults', {
      routes: { 'GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}': { rate5xx: 1 } },
    });
    try {
      const response = await client.executeRaw(SaleAndLedger, { ledgerId: granted, date });
      const errors = response.body.errors ?? [];
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) {
        expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
        expect(typeof error.extensions?.requestId).toBe('string');
        expect(error.message).not.toMatch(/problem|traceId|"status"|extraDetails/);
      }
      // The Sales side still answered: the sales are there, only their Report joins failed.
      const ledger = response.body.data?.ledger;
      expect(ledger?.__typename).toBe('Ledger');
      if (ledger?.__typename === 'Ledger') expect(ledger.sales?.totalCount).toBeGreaterThan(0);
    } finally {
      await t.admin('PUT', 'faults', {});
    }
  });

  it('refuses a document nested deeper than the limit before any upstream call', async () => {
    await t.resetStats();
    const response = await t.executeRaw(Deep, { id: granted, date });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect((await t.stats()).total).toBe(0);
  });

  it('refuses a document selecting more fields than the limit, aliases included', async () => {
    const aliases = Array.from({ length: 2001 }, (_, index) => `a${index}: ledgers(first: 1) { totalCount }`).join('\n');
    const response = await t.executeRaw(parse(`query Wide { ${aliases} }`), {});
    expect(response.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_LARGE');
  });

  it("lets GraphiQL's full introspection query through the limits", async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      inputValueDeprecation: true,
    });
    const response = await t.executeRaw(parse(query), {});
    expect(response.body.errors).toBeUndefined();
    expect(response.status).toBe(200);
  });

  it("echoes a caller's request id, makes one up otherwise, and puts it on masked errors", async () => {
    const echoed = await t.executeRaw(Node, { id: 'bm9wZQ==' }, { 'x-request-id': 'caller-42' });
    expect(echoed.headers.get('x-request-id')).toBe('caller-42');
    const made = await t.executeRaw(Node, { id: 'bm9wZQ==' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

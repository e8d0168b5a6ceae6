import { getIntrospectionQuery, parse } from 'graphql';
import { describe, expect } from 'vitest';
import { graphql } from '../gql/index.ts';
import { it } from '../support/harness.ts';
import { routes } from '../support/routes.ts';

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
  let granted: string;
  let notGranted: string;
  const date = '2026-05-10';

  it.beforeAll(async ({ emulator }) => {
    const traits = await emulator.ledgers();
    granted = emulator.partner.ledgerIds[0] ?? '';
    const other = traits.find((ledger) => !ledger.grantedTo.includes(emulator.partner.clientId));
    if (other === undefined) throw new Error('the emulator should have a ledger the demo partner is not granted');
    notGranted = other.ledgerId;
  });

  it('answers an impossible date in a variable with BAD_USER_INPUT naming the variable', async ({ gateway }) => {
    const response = await gateway.request(LedgerSales, { id: granted, date: '2026-02-30' });
    const [error] = response.errors;
    expect(error?.message).toContain('$date');
    expect(error?.message).toContain('real calendar date');
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.data ?? null).toBeNull();
  });

  it('answers an impossible date literal with BAD_USER_INPUT naming the argument', async ({ gateway }) => {
    const response = await gateway.request(LiteralDate, { id: granted });
    const [error] = response.errors;
    expect(error?.message).toMatch(/^Argument "date" has an invalid value/);
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'date' });
  });

  it.for([
    [{ first: -1 }, 'first', 'between 0 and 1000'],
    [{ first: 1001 }, 'first', 'between 0 and 1000'],
    [{ after: 'not-a-cursor' }, 'after', 'not a cursor'],
  ] as const)('answers %o with BAD_USER_INPUT naming the argument', async ([args, argument, text], { gateway }) => {
    const response = await gateway.request(LedgerSales, { id: granted, date, ...args });
    const [error] = response.errors;
    expect(error?.message).toContain(`Argument "${argument}"`);
    expect(error?.message).toContain(text);
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(error?.path).toEqual(['ledger', 'sales']);
  });

  it('answers a malformed global id with BAD_USER_INPUT naming the argument, and an unknown one with null', async ({ gateway }) => {
    const malformed = await gateway.request(Node, { id: 'bm9wZQ==' });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
    const unknownLedger = await gateway.execute(Node, { id: Buffer.from('Ledger:no-such-ledger').toString('base64') });
    expect(unknownLedger.node).toBeNull();
  });

  it('answers a ledger that is not granted exactly like one that does not exist: NotFoundError data', async ({ gateway }) => {
    const notGrantedAnswer = await gateway.execute(LedgerSales, { id: notGranted, date });
    const unknownAnswer = await gateway.execute(LedgerSales, { id: 'no-such-ledger', date });
    expect(notGrantedAnswer.ledger).toMatchObject({ __typename: 'NotFoundError', resource: 'Ledger', key: notGranted });
    expect(unknownAnswer.ledger).toMatchObject({ __typename: 'NotFoundError', resource: 'Ledger', key: 'no-such-ledger' });
  });

  it('answers the rest of a query when one field finds nothing', async ({ gateway }) => {
    const answer = await gateway.execute(TwoLedgers, { good: granted, bad: notGranted, date });
    expect(answer.good).toMatchObject({ __typename: 'Ledger', ledgerId: granted });
    expect(answer.bad).toMatchObject({ __typename: 'NotFoundError', key: notGranted });
  });

  it('answers an upstream failure in one field with its code and still resolves the others', async ({ gateway, admin }) => {
    await admin.setFaults({ routes: { [routes.reportDate]: { rate5xx: 1 } } });
    try {
      const response = await gateway.request(SaleAndLedger, { ledgerId: granted, date });
      const errors = response.errors;
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) {
        expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
        expect(typeof error.extensions?.requestId).toBe('string');
        expect(error.message).not.toMatch(/problem|traceId|"status"|extraDetails/);
      }
      // The Sales side still answered: the sales are there, only their Report joins failed.
      const ledger = response.data?.ledger;
      expect(ledger?.__typename).toBe('Ledger');
      if (ledger?.__typename === 'Ledger') expect(ledger.sales?.totalCount).toBeGreaterThan(0);
    } finally {
      await admin.setFaults({});
    }
  });

  it('refuses a document nested deeper than the limit before any upstream call', async ({ gateway, admin }) => {
    await admin.resetStats();
    const response = await gateway.request(Deep, { id: granted, date });
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect((await admin.stats()).total).toBe(0);
  });

  it('refuses a document selecting more fields than the limit, aliases included', async ({ gateway }) => {
    const aliases = Array.from({ length: 2001 }, (_, index) => `a${index}: ledgers(first: 1) { totalCount }`).join('\n');
    const response = await gateway.request(parse(`query Wide { ${aliases} }`), {});
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_LARGE');
  });

  it("lets GraphiQL's full introspection query through the limits", async ({ gateway }) => {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      inputValueDeprecation: true,
    });
    const response = await gateway.request(parse(query), {});
    expect(response.errors).toEqual([]);
    expect(response.status).toBe(200);
  });

  it("echoes a caller's request id, makes one up otherwise, and puts it on masked errors", async ({ gateway }) => {
    const echoed = await gateway.request(Node, { id: 'bm9wZQ==' }, { 'x-request-id': 'caller-42' });
    expect(echoed.headers.get('x-request-id')).toBe('caller-42');
    const made = await gateway.request(Node, { id: 'bm9wZQ==' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

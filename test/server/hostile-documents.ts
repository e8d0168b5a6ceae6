/**
 * Documents an attacker would send, one of each class a security review found to stall or
 * bloat the gateway, at sizes that took seconds before the limits existed. Shared by the suite
 * that holds them to the limits and the benchmark that prints the table.
 */

export interface HostileRequest {
  name: string;
  /** The request body (POST JSON unless `contentType` says otherwise). */
  body: string;
  contentType?: string;
}

const post = (name: string, query: string, variables: Record<string, unknown> = {}): HostileRequest => ({
  name,
  body: JSON.stringify({ query, variables }),
});

/** `count` fragments, each spreading the one before it twice: 2^count fields once expanded. */
function doublingFragments(count: number): string {
  const fragments = [`fragment F0 on Query { __typename }`];
  for (let index = 1; index < count; index += 1) fragments.push(`fragment F${index} on Query { ...F${index - 1} ...F${index - 1} }`);
  return `query Doubling { ...F${count - 1} }\n${fragments.join('\n')}`;
}

const aliases = (count: number, selection: string) => Array.from({ length: count }, (_, index) => `a${index}: ${selection}`).join(' ');

export function hostileCatalogue(ledgerId: string, date: string): HostileRequest[] {
  return [
    post('20 fragments each spreading the previous twice', doublingFragments(20)),
    post('30 fragments each spreading the previous twice', doublingFragments(30)),
    post('6,000 aliased __typename', `{ ${aliases(6_000, '__typename')} }`),
    post('200,000 aliased __typename (2.6 MB)', `{ ${aliases(200_000, '__typename')} }`),
    post('500 aliased deep introspections', `{ ${aliases(500, '__schema { types { fields { type { fields { name } } } } }')} }`),
    post('2,000 operations in one document', Array.from({ length: 2_000 }, (_, index) => `query Q${index} { __typename }`).join('\n')),
    post('1,000 directives on one field', `{ __typename ${'@include(if: true) '.repeat(1_000)} }`),
    post('a document 40 levels deep', `{ ${'ledgers { edges { node { ledger: __typename '.repeat(1)}${'a: __type(name: "Query") { fields { type { ofType { '.repeat(10)}name${' } } } }'.repeat(10)} } } } }`),
    post(
      'per-sale order lookups under a page of 1,000 sales',
      `query Orders($ledgerId: String!, $date: Date!) { ledger(id: $ledgerId) { ... on Ledger { sales(date: $date, first: 1000) { edges { node { order { sales { pspReference } } } } } } } }`,
      { ledgerId, date },
    ),
    post('12 years of periods', `query Years($ledgerId: String!) { ledger(id: $ledgerId) { ... on Ledger { ${aliases(40, 'period(from: "2015-01-01", to: "2015-01-31") { isClosed }')} } } }`, { ledgerId }),
    post('a 100,000-character ledger id', `query Long($id: String!) { ledger(id: $id) { __typename } }`, { id: '9'.repeat(100_000) }),
    // JSON may carry a lone surrogate that no GraphQL string literal can.
    { name: 'a lone surrogate in a pspReference', body: `{"query":"query Lone($ledgerId: String!, $psp: String!) { sale(ledgerId: $ledgerId, pspReference: $psp) { __typename } }","variables":{"ledgerId":"${ledgerId}","psp":"\\ud800abc"}}` },
    { name: 'a 25 MB body', body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(25 * 1024 * 1024) } }) },
    { name: 'a form-encoded document (no preflight)', body: 'query=%7B__typename%7D', contentType: 'application/x-www-form-urlencoded' },
  ];
}

import { describe, expect } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { it } from '../support/harness.ts';

/**
 * A seeded fuzz of malformed requests against a gateway configured as in production: bodies,
 * content types, methods, GET strings, variables, scalars and ids of every broken kind a review
 * would try. Whatever arrives, the answer is a client error or data, never a server error, never
 * a stack, a secret or an upstream body; and what it writes to the log stays small per request.
 */

const attempts = 20_000;

/** mulberry32: a tiny seeded generator, so a failure replays with its seed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}

type Random = ReturnType<typeof generator>;

interface Attempt {
  category: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const nastyStrings = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '../../etc/passwd',
  '%2F..%2F',
  "'; DROP TABLE ledgers; --",
  '${process.env.VIPPS_CLIENT_SECRET}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '\n\r\t',
  'x'.repeat(10_000),
  '9'.repeat(400),
  '😀'.repeat(50),
  'NO:',
  'api:123456',
  '0',
  '-1',
  '1e309',
  'null',
  'sha256:' + 'f'.repeat(64),
];

const nastyValues: unknown[] = [null, true, -1, 0, 1.5, 1e308, -1e308, 2 ** 53, [], {}, [[[[[]]]]], { a: { b: { c: {} } } }, ...nastyStrings];

const documents = [
  'query Q($id: String!) { ledger(id: $id) { __typename ... on Ledger { ledgerId } } }',
  'query Q($ledgerId: String!, $psp: String!) { sale(ledgerId: $ledgerId, pspReference: $psp) { __typename } }',
  'query Q($ledgerId: String!, $reference: String!) { order(ledgerId: $ledgerId, reference: $reference) { __typename } }',
  'query Q($id: ID!) { node(id: $id) { __typename id } }',
  'query Q($handle: String, $first: Int, $after: String) { ledgers(recipientHandle: $handle, first: $first, after: $after) { totalCount } }',
  'query Q($id: String!, $date: Date!, $first: Int) { ledger(id: $id) { ... on Ledger { sales(date: $date, first: $first) { totalCount } } } }',
  'query Q($id: String!, $from: Date!, $to: Date!) { ledger(id: $id) { ... on Ledger { period(from: $from, to: $to) { isClosed } } } }',
  'query Q($id: String!, $number: String!, $near: Date!) { ledger(id: $id) { ... on Ledger { payout(payoutNumber: $number, near: $near) { __typename } } } }',
];

const variableNames = ['id', 'ledgerId', 'psp', 'reference', 'handle', 'first', 'after', 'date', 'from', 'to', 'number', 'near'];

function randomVariables(random: Random, ledgerId: string): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const name of variableNames) {
    const roll = random.next();
    if (roll < 0.15) continue;
    if (roll < 0.35) variables[name] = ['id', 'ledgerId'].includes(name) ? ledgerId : ['date', 'from', 'to', 'near'].includes(name) ? '2026-05-10' : 'x';
    else if (roll < 0.5) variables[name] = random.pick(['2026-02-30', '2026-5-1', '20260510', '2026-05-10T00:00:00Z', '9999-12-31', '0000-00-00']);
    else variables[name] = random.pick(nastyValues);
  }
  return variables;
}

function randomBytes(random: Random, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => random.int(256));
}

function attemptOf(random: Random, ledgerId: string): Attempt {
  const json = { 'content-type': 'application/json' };
  switch (random.int(8)) {
    case 0: {
      const raw = JSON.stringify({ query: random.pick(documents), variables: randomVariables(random, ledgerId) });
      const body = random.pick([
        raw.slice(0, random.int(raw.length)),
        raw.replace(/[{}]/g, () => random.pick(['{', '}', '[', ']', ''])),
        '[' + raw + ',' + raw + ']',
        JSON.stringify(random.pick(nastyValues)),
        '{"query":' + '['.repeat(5_000) + ']'.repeat(5_000) + '}',
        '{"query": "{ __typename }", "query": 1}',
      ]);
      return { category: 'bodies', method: 'POST', path: '/graphql', headers: json, body };
    }
    case 1:
      return { category: 'binary bodies', method: 'POST', path: '/graphql', headers: json, body: randomBytes(random, random.int(2_000)) };
    case 2: {
      const contentType = random.pick([
        'text/plain',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
        'application/graphql',
        'application/xml',
        '',
        'application/json, text/plain',
      ]);
      const headers: Record<string, string> = contentType === '' ? {} : { 'content-type': contentType };
      return { category: 'content types', method: 'POST', path: '/graphql', headers, body: JSON.stringify({ query: '{ __typename }' }) };
    }
    case 3: {
      const method = random.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE']);
      return { category: 'methods', method, path: random.pick(['/graphql', '/health', '/ready', '/', '/graphql/x']), headers: json, ...(method === 'PUT' || method === 'PATCH' || method === 'DELETE' ? { body: '{}' } : {}) };
    }
    case 4: {
      const parameters = new URLSearchParams();
      for (const name of ['query', 'variables', 'operationName', 'extensions', 'documentId']) {
        if (random.next() < 0.5) parameters.set(name, String(random.pick([...nastyStrings, '{bad', '{"a":1}', '{ __typename }'])));
      }
      return { category: 'GET strings', method: 'GET', path: `/graphql?${parameters.toString()}`, headers: { 'x-graphql-yoga-csrf': '1' } };
    }
    case 5: {
      const body = JSON.stringify({ query: random.pick(documents), variables: randomVariables(random, ledgerId), operationName: random.pick(['Q', 'Nope', null, 7]) });
      return { category: 'variables', method: 'POST', path: '/graphql', headers: json, body };
    }
    case 6: {
      const literal = JSON.stringify(random.pick(nastyStrings)).replace(/\\u0000/g, '');
      const query = random.pick([
        `{ ledger(id: ${literal}) { __typename } }`,
        `{ ledgers(first: ${random.pick(['-1', '1001', '99999999999', '1.5', '"ten"', 'null'])}) { totalCount } }`,
        `{ node(id: ${literal}) { __typename } }`,
        `{ ledger(id: "${ledgerId}") { ... on Ledger { sales(date: ${literal}) { totalCount } } } }`,
      ]);
      return { category: 'scalars and ids', method: 'POST', path: '/graphql', headers: json, body: JSON.stringify({ query }) };
    }
    default: {
      const soup = Array.from({ length: random.int(60) }, () => random.pick(['{', '}', '(', ')', '...', 'query', 'ledger', '$', ':', '"', '@skip', '#', '\\u', 'on', 'fragment', '!', '[', ']', '1', 'true'])).join(' ');
      return { category: 'documents', method: 'POST', path: '/graphql', headers: json, body: JSON.stringify({ query: soup }) };
    }
  }
}

/** What no answer may contain: a stack frame, a source path, a secret, an upstream problem body. */
function leaksOf(text: string, secret: string): string[] {
  const leaks: string[] = [];
  if (/\bat .+[(/].+:\d+:\d+/.test(text)) leaks.push('a stack frame');
  if (/node_modules|\/src\/|\.ts:\d+/.test(text)) leaks.push('a source path');
  if (text.includes(secret)) leaks.push('the client secret');
  if (/access_token|Bearer [\w-]{20,}/i.test(text)) leaks.push('a token');
  if (/traceId|extraDetails|problem\+json/.test(text)) leaks.push('an upstream body');
  return leaks;
}

describe('malformed requests', () => {
  it(`never answer with a server error, a stack, a secret or an upstream body, across ${attempts.toLocaleString('en')} seeded attempts`, { timeout: 300_000 }, async ({ emulator, openGateway }) => {
    let logBytes = 0;
    let logLines = 0;
    const logger = createLogger({
      level: 'info',
      write: (line) => {
        logBytes += line.length;
        logLines += 1;
      },
    });
    const gateway = await openGateway({ env: { NODE_ENV: 'production', LOG_LEVEL: 'info' }, logger });
    const [ledgerId] = emulator.partner.ledgerIds;
    if (ledgerId === undefined) throw new Error('the demo partner has ledgers');
    const seed = 20_261_207;
    const random = generator(seed);
    const byCategory = new Map<string, { count: number; statuses: Set<number> }>();
    const failures: string[] = [];
    for (let index = 0; index < attempts; index += 1) {
      const attempt = attemptOf(random, ledgerId);
      const response = await gateway.yoga.fetch(`http://localhost${attempt.path}`, {
        method: attempt.method,
        headers: attempt.headers,
        ...(attempt.body === undefined ? {} : { body: attempt.body }),
      });
      const text = await response.text();
      const tally = byCategory.get(attempt.category) ?? { count: 0, statuses: new Set() };
      tally.count += 1;
      tally.statuses.add(response.status);
      byCategory.set(attempt.category, tally);
      const problems = [...(response.status >= 500 ? [`HTTP ${response.status}`] : []), ...leaksOf(text, emulator.partner.clientSecret)];
      if (problems.length > 0 && failures.length < 10) failures.push(`seed ${seed} #${index} ${attempt.category} ${attempt.method} ${attempt.path}: ${problems.join(', ')}: ${text.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
    expect([...byCategory.keys()].sort()).toEqual(['GET strings', 'binary bodies', 'bodies', 'content types', 'documents', 'methods', 'scalars and ids', 'variables']);
    // Each request writes about one line (its audit line) and never a flood.
    expect(logLines / attempts).toBeLessThan(3);
    expect(logBytes / attempts).toBeLessThan(1_500);
  });
});

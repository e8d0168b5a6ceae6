import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useErrorMapping } from '../../src/server/plugins/error-mapping.ts';
import { sumExact } from '../../src/kernel/exact.ts';
import { UpstreamError } from '../../src/sources/index.ts';
import type { Logger } from '../../src/logger.ts';

/**
 * The mapping plugin in a real Yoga over a tiny schema whose resolvers fail on purpose: the
 * gateway's own schema has no field that fails unexpectedly on demand.
 */
function recordingLogger(lines: Array<{ msg: string; fields?: Record<string, unknown> }>): Logger {
  const record = (msg: string, fields?: Record<string, unknown>) => {
    lines.push({ msg, ...(fields ? { fields } : {}) });
  };
  return { debug: record, info: record, warn: record, error: record };
}

describe('error mapping', () => {
  const lines: Array<{ msg: string; fields?: Record<string, unknown> }> = [];
  const yoga = createYoga<Record<string, unknown>, { requestId: string }>({
    schema: createSchema({
      typeDefs: 'type Query { fine: String, broken: String, upstream: String, books: Books } type Books { total: Float }',
      resolvers: {
        Query: {
          fine: () => 'ok',
          broken: () => {
            throw new Error('connection string postgres://user:secret@db');
          },
          // Two amounts whose exact sum is one past the largest a JSON number holds exactly.
          books: () => ({ total: () => sumExact([2 ** 52, 2 ** 52], (amount) => amount) }),
          upstream: () => {
            throw new UpstreamError('UPSTREAM_RATE_LIMITED', 'Upstream rate-limited GET /settlement/v1/ledgers', {
              route: 'GET /settlement/v1/ledgers',
              status: 429,
              retryAfterSeconds: 7,
            });
          },
        },
      },
    }),
    context: () => ({ requestId: 'req-7' }),
    plugins: [useErrorMapping(recordingLogger(lines))],
  });

  it('masks an unexpected failure with the request id, logs it, and keeps the other fields', async () => {
    const response = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ fine broken upstream }' }),
    });
    const body = await response.text();
    expect(body).not.toContain('secret');
    const parsed: unknown = JSON.parse(body);
    expect(parsed).toMatchObject({
      data: { fine: 'ok', broken: null, upstream: null },
      errors: expect.arrayContaining([
        expect.objectContaining({
          message: 'Unexpected error.',
          path: ['broken'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-7' },
        }),
        expect.objectContaining({
          path: ['upstream'],
          extensions: { code: 'UPSTREAM_RATE_LIMITED', requestId: 'req-7', retryAfterSeconds: 7 },
        }),
      ]),
    });
    // The details go to the log, under the same request id, for the operator.
    const logged = lines.find((line) => line.fields?.requestId === 'req-7' && line.fields.error instanceof Error);
    expect(logged?.fields?.error).toBeInstanceOf(Error);
    expect(String(logged?.fields?.error)).toContain('postgres://');
  });

  it('answers a sum beyond ±(2^53 − 1) minor units as SUM_OUT_OF_RANGE naming the field, never a rounding nor a masked error', async () => {
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ fine books { total } }' }),
    });
    expect(await response.json()).toMatchObject({
      data: { fine: 'ok', books: { total: null } },
      errors: [{ path: ['books', 'total'], extensions: { code: 'SUM_OUT_OF_RANGE', field: 'books.total', requestId: 'req-7' } }],
    });
  });
});

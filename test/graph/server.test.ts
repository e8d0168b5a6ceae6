import { describe, expect } from 'vitest';
import { z } from 'zod';
import { graphql } from '../gql/index.ts';
import { it } from '../support/harness.ts';

const Typename = graphql(`
  query ServerTypename {
    __typename
  }
`);

const readyModel = z.object({ status: z.string(), checks: z.record(z.string(), z.string()) });

describe('gateway HTTP surface', () => {
  it('answers /health while alive', async ({ gateway }) => {
    const response = await gateway.yoga.fetch('http://localhost/health');
    expect(response.status).toBe(200);
  });

  it('answers /ready when upstream hands out a token, and 503 naming the check when it does not', async ({ gateway, emulator, openGateway }) => {
    const ready = await gateway.yoga.fetch('http://localhost/ready');
    expect(ready.status).toBe(200);
    expect(readyModel.parse(await ready.json())).toEqual({ status: 'ready', checks: { upstreamToken: 'ok' } });

    const refused = await openGateway({ partner: { ...emulator.partner, clientSecret: 'wrong' } });
    const notReady = await refused.yoga.fetch('http://localhost/ready');
    expect(notReady.status).toBe(503);
    expect(readyModel.parse(await notReady.json())).toEqual({
      status: 'unavailable',
      checks: { upstreamToken: 'UPSTREAM_UNAUTHORIZED' },
    });
  });

  it('serves GraphiQL on /graphql to a browser, opening on the join of a ledger day', async ({ gateway }) => {
    const response = await gateway.yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('Reporting Gateway');
    expect(page).toContain('query LedgerDay');
    expect(page).toContain('captures');
  });

  it('answers a query and echoes the request id', async ({ gateway }) => {
    const response = await gateway.request(Typename, {}, { 'x-request-id': 'abc-123' });
    expect(response.data).toEqual({ __typename: 'Query' });
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    const unsafe = await gateway.request(Typename, {}, { 'x-request-id': 'bad id\nwith newline' });
    expect(unsafe.headers.get('x-request-id')).not.toContain('bad id');
  });
});

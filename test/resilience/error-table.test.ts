import { describe, expect } from 'vitest';
import { UpstreamHttp } from '../../src/sources/http/http.ts';
import { graphql } from '../gql/index.ts';
import { startPeer } from '../sources/peer.ts';
import { failureOf } from '../sources/failure.ts';
import { startFaultProxy, type FaultProxy, type ProxyAction } from './fault-proxy.ts';
import { it, type FaultLab, type LabGatewayOptions } from './support.ts';
import { dayKeys, type DayKey } from './workload.ts';

/**
 * Every row of docs/errors.md, end to end: the Report funds date of a ledger answers the row's
 * outcome (through a proxy in front of the emulator), the Sales date answers normally. The
 * client must get the Sales data, the row's code on the funds field, HTTP 200, and upstream
 * must have seen as many attempts as the row says.
 */

const RowDocument = graphql(`
  query ErrorRow($id: String!, $date: Date!) {
    ledger(id: $id) {
      __typename
      ... on Ledger {
        sales(date: $date, first: 1) {
          totalCount
        }
        funds: moneyMovements(date: $date, topic: FUNDS, first: 1) {
          totalCount
        }
      }
    }
  }
`);

interface Row {
  outcome: string;
  action: ProxyAction;
  code: string;
  /** Attempts upstream sees on the failing route: 1 when not retried. */
  attempts: number;
  retryAfterSeconds?: number;
  gateway?: LabGatewayOptions;
  headers?: Record<string, string>;
}

const answer = (status: number, body = '{}', headers: Record<string, string> = {}): ProxyAction => ({ kind: 'answer', status, body, headers });
const problem = JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, extraDetails: [{ name: 'ledgerDate', reason: 'secret hint' }] });
// undici checks these timeouts about once a second: two attempts show the retry and stay quick.
const quickTimeouts: LabGatewayOptions = { upstream: { timeouts: { headersMs: 300, bodyMs: 300 }, resilience: { retry: { maxAttempts: 2 } } } };

const rows: Row[] = [
  { outcome: '200, body not JSON', action: answer(200, '{"items": [{"amount": 12'), code: 'UPSTREAM_BAD_RESPONSE', attempts: 1 },
  { outcome: '200, body breaks the model', action: answer(200, '{"items": [{"amount": "12"}], "hasMore": false}'), code: 'UPSTREAM_BAD_RESPONSE', attempts: 1 },
  { outcome: '200, answer larger than 64 MiB', action: answer(200, ' '.repeat(65 * 1024 * 1024)), code: 'UPSTREAM_BAD_RESPONSE', attempts: 1 },
  {
    outcome: '200, paging that never ends',
    action: answer(200, JSON.stringify({ items: [], hasMore: true, cursor: 'c2FtZQ==', tryLater: false })),
    code: 'UPSTREAM_BAD_RESPONSE',
    attempts: 2,
  },
  { outcome: '400 problem+json', action: answer(400, problem), code: 'BAD_REQUEST', attempts: 1 },
  { outcome: '401 on a data call', action: answer(401, '{"code":"Unauthorized"}'), code: 'UPSTREAM_UNAUTHORIZED', attempts: 2 },
  { outcome: '403 on a data call', action: answer(403), code: 'UPSTREAM_UNAUTHORIZED', attempts: 1 },
  { outcome: '404', action: answer(404), code: 'NOT_FOUND', attempts: 1 },
  { outcome: '408', action: answer(408), code: 'UPSTREAM_TIMEOUT', attempts: 5 },
  {
    outcome: '429 with Retry-After within the deadline',
    action: answer(429, '{}', { 'retry-after': '1' }),
    code: 'UPSTREAM_RATE_LIMITED',
    attempts: 2,
    retryAfterSeconds: 1,
    headers: { 'x-request-timeout-ms': '2000' },
  },
  { outcome: '429 with Retry-After past the deadline', action: answer(429, '{}', { 'retry-after': '60' }), code: 'UPSTREAM_RATE_LIMITED', attempts: 1, retryAfterSeconds: 60 },
  { outcome: '500', action: answer(500, '{"errorCode":10001}'), code: 'UPSTREAM_UNAVAILABLE', attempts: 5 },
  { outcome: '502', action: answer(502, 'Bad Gateway'), code: 'UPSTREAM_UNAVAILABLE', attempts: 5 },
  { outcome: '503 with Retry-After past the deadline', action: answer(503, '', { 'retry-after': '30' }), code: 'UPSTREAM_UNAVAILABLE', attempts: 1, retryAfterSeconds: 30 },
  { outcome: '504', action: answer(504), code: 'UPSTREAM_TIMEOUT', attempts: 5 },
  { outcome: 'another status (418)', action: answer(418), code: 'UPSTREAM_BAD_RESPONSE', attempts: 1 },
  { outcome: 'connection closed before the answer', action: { kind: 'reset' }, code: 'UPSTREAM_UNAVAILABLE', attempts: 5 },
  { outcome: 'no headers in time', action: { kind: 'hang' }, code: 'UPSTREAM_TIMEOUT', attempts: 2, gateway: quickTimeouts },
  { outcome: 'a body that stalls', action: { kind: 'stall-body' }, code: 'UPSTREAM_TIMEOUT', attempts: 2, gateway: quickTimeouts },
  { outcome: 'the request deadline passes first', action: { kind: 'hang' }, code: 'UPSTREAM_TIMEOUT', attempts: 1, headers: { 'x-request-timeout-ms': '400' } },
];

describe('the upstream error table', () => {
  let lab: FaultLab;
  let proxy: FaultProxy;
  let day: DayKey;
  let salesCount: number;
  const fundsPath = () => new RegExp(`^/report/v2/ledgers/${day.id}/funds/dates/${day.date}$`);

  it.beforeAll(async ({ lab: fileLab, direct }) => {
    lab = fileLab;
    proxy = await startFaultProxy(lab.emulator.url);
    const [key] = await dayKeys(lab.emulator, 1);
    if (key === undefined) throw new Error('no ledger date to query');
    day = key;
    salesCount = (await direct.sales.forDate(day.id, day.date)).length;
  });
  it.afterAll(async () => {
    await proxy.close();
  });

  const ask = async (row: Pick<Row, 'action' | 'gateway' | 'headers'>) => {
    proxy.script = (_method, path) => (fundsPath().test(path) ? row.action : null);
    proxy.resetSeen();
    const gateway = lab.gateway({ ...row.gateway, upstream: { baseUrl: proxy.url, ...row.gateway?.upstream } });
    return gateway.request(RowDocument, { ...day }, row.headers);
  };

  it.each(rows)('$outcome: $code, $attempts attempt(s)', async (row) => {
    const response = await ask(row);
    expect(response.status).toBe(200);
    // The other API's data is there: a partial answer, not a failed one.
    expect(response.data).toMatchObject({ ledger: { __typename: 'Ledger', sales: { totalCount: salesCount }, funds: null } });
    expect(response.errors).toHaveLength(1);
    const [error] = response.errors;
    expect(error?.path).toEqual(['ledger', 'funds']);
    expect(error?.extensions).toMatchObject({ code: row.code, requestId: expect.any(String) });
    expect(error?.extensions?.retryAfterSeconds).toBe(row.retryAfterSeconds);
    expect(error?.message).not.toContain('secret hint');
    expect(proxy.seen(fundsPath())).toBe(row.attempts);
  });

  it('401 on a data call: a fresh token that works gives the data', async () => {
    let refusals = 1;
    proxy.script = (_method, path) => (fundsPath().test(path) && refusals-- > 0 ? answer(401) : null);
    proxy.resetSeen();
    const gateway = lab.gateway({ upstream: { baseUrl: proxy.url } });
    const response = await gateway.request(RowDocument, { ...day });
    expect(response.errors).toEqual([]);
    expect(proxy.seen(/^\/miami\/v1\/token$/)).toBe(2);
    expect(proxy.seen(fundsPath())).toBe(2);
  });

  it('429 then an answer: the data, after waiting what upstream asked', async () => {
    let throttled = 2;
    proxy.script = (_method, path) => (fundsPath().test(path) && throttled-- > 0 ? answer(429, '{}', { 'retry-after': '0' }) : null);
    proxy.resetSeen();
    const response = await lab.gateway({ upstream: { baseUrl: proxy.url } }).request(RowDocument, { ...day });
    expect(response.errors).toEqual([]);
    expect(response.data).toMatchObject({ ledger: { funds: { totalCount: expect.any(Number) } } });
    expect(proxy.seen(fundsPath())).toBe(3);
  });

  it('the token request is retried like a GET; no other POST exists to repeat', async () => {
    let failures = 2;
    proxy.script = (method, path) => (method === 'POST' && path === '/miami/v1/token' && failures-- > 0 ? answer(503) : null);
    proxy.resetSeen();
    const response = await lab.gateway({ upstream: { baseUrl: proxy.url } }).request(RowDocument, { ...day });
    expect(response.errors).toEqual([]);
    expect(proxy.seen(/^\/miami\/v1\/token$/)).toBe(3);
  });

  it('connection refused: UPSTREAM_UNAVAILABLE after every attempt', async () => {
    const closed = await startPeer(() => {});
    await closed.close();
    const retried: unknown[] = [];
    const record = (msg: string, fields?: Record<string, unknown>) => {
      if (msg === 'retrying upstream call') retried.push(fields);
    };
    const http = new UpstreamHttp({
      baseUrl: closed.url,
      credentials: { clientId: 'x', clientSecret: 'y' },
      systemName: 's',
      systemVersion: '1',
      resilience: {},
      logger: { debug: record, info: record, warn: record, error: record },
    });
    try {
      const error = await failureOf(http.tokens.get());
      expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(retried).toHaveLength(4);
    } finally {
      await http.close();
    }
  });
});

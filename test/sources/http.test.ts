import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { LogFields, Logger } from '../../src/logger.ts';
import { UpstreamHttp, type UpstreamHttpOptions } from '../../src/sources/http/http.ts';
import { ReportClient } from '../../src/sources/report/client.ts';
import { failureOf } from './failure.ts';
import { json, startPeer, tokenIssuer, type Peer, type PeerHandler } from './peer.ts';

const pageModel = z.object({ items: z.array(z.object({ amount: z.number().int() })) });

let peer: Peer | undefined;
let http: UpstreamHttp | undefined;

afterEach(async () => {
  await http?.close();
  await peer?.close();
  http = undefined;
  peer = undefined;
});

function recordingLogger(): Logger & { lines: Array<{ msg: string; fields: LogFields | undefined }> } {
  const lines: Array<{ msg: string; fields: LogFields | undefined }> = [];
  const log = (msg: string, fields?: LogFields) => lines.push({ msg, fields });
  return { lines, debug: log, info: log, warn: log, error: log };
}

/** A peer with a working token endpoint; `data` answers everything else. */
async function upstreamWith(data: PeerHandler, options: Partial<UpstreamHttpOptions> = {}): Promise<{ peer: Peer; http: UpstreamHttp }> {
  const issue = tokenIssuer();
  peer = await startPeer((request, response) => (request.url === '/miami/v1/token' ? issue(response) : data(request, response)));
  http = new UpstreamHttp({
    baseUrl: peer.url,
    credentials: { clientId: 'client-id', clientSecret: 'client-secret' },
    systemName: 'gateway-test',
    systemVersion: '9.9.9',
    ...options,
  });
  return { peer, http };
}

describe('UpstreamHttp', () => {
  it('sends the token request and data requests as upstream expects them', async () => {
    const { peer, http } = await upstreamWith((_request, response) => json(response, 200, { items: [{ amount: 5 }] }));
    const page = await http.get('/things/{reference}', { reference: 'a/b c?#' }, pageModel, { cursor: 'x y', skipped: undefined, flag: true });
    expect(page).toEqual({ items: [{ amount: 5 }] });

    const [token, data] = peer.requests;
    expect(token?.method).toBe('POST');
    expect(token?.url).toBe('/miami/v1/token');
    expect(token?.headers.authorization).toBe(`Basic ${Buffer.from('client-id:client-secret').toString('base64')}`);
    expect(token?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(token?.body).toBe('grant_type=client_credentials');
    expect(token?.headers['ocp-apim-subscription-key']).toBeUndefined();

    expect(data?.url).toBe('/things/a%2Fb%20c%3F%23?cursor=x+y&flag=true');
    expect(data?.headers.authorization).toBe('Bearer token-1');
    expect(data?.headers['vipps-system-name']).toBe('gateway-test');
    expect(data?.headers['vipps-system-version']).toBe('9.9.9');
  });

  it('keeps a base URL path prefix', async () => {
    const issue = tokenIssuer();
    peer = await startPeer((request, response) =>
      request.url === '/prefix/miami/v1/token' ? issue(response) : json(response, 200, { items: [] }),
    );
    http = new UpstreamHttp({ baseUrl: `${peer.url}/prefix/`, credentials: { clientId: 'a', clientSecret: 'b' }, systemName: 's', systemVersion: '1' });
    await http.get('/x', {}, pageModel);
    expect(peer.requests.map((request) => request.url)).toEqual(['/prefix/miami/v1/token', '/prefix/x']);
  });

  it.each([
    [404, 'NOT_FOUND'],
    [500, 'UPSTREAM_UNAVAILABLE'],
    [502, 'UPSTREAM_UNAVAILABLE'],
    [503, 'UPSTREAM_UNAVAILABLE'],
    [504, 'UPSTREAM_TIMEOUT'],
    [403, 'UPSTREAM_UNAUTHORIZED'],
    [418, 'UPSTREAM_BAD_RESPONSE'],
  ] as const)('maps status %i to %s', async (status, code) => {
    const { http } = await upstreamWith((_request, response) => json(response, status, { detail: 'secret upstream words' }));
    const error = await failureOf(http.get('/ledgers/{ledgerId}', { ledgerId: '1' }, pageModel));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.route).toBe('GET /ledgers/{ledgerId}');
    expect(error.message).not.toContain('secret upstream words');
  });

  it('keeps the Retry-After of a 503', async () => {
    const { http } = await upstreamWith((_request, response) => json(response, 503, {}, { 'retry-after': '12' }));
    const error = await failureOf(http.get('/r', {}, pageModel));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfterSeconds: 12 });
  });

  it('names the bad parameters of a 400 but keeps the rest of the problem out of the message', async () => {
    const problem = {
      type: 'https://httpstatuses.io/400',
      title: 'Bad Request',
      status: 400,
      detail: 'See extraDetails for further details',
      extraDetails: [{ name: 'ledgerDate', reason: 'Invalid date: internal hint 42' }],
    };
    const logger = recordingLogger();
    const { http } = await upstreamWith((_request, response) => json(response, 400, problem), { logger });
    const error = await failureOf(http.get('/d/{ledgerDate}', { ledgerDate: '2026-13-01' }, pageModel));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('ledgerDate');
    expect(error.message).not.toContain('internal hint 42');
    // The raw body is for operators: it is in the log.
    expect(JSON.stringify(logger.lines)).toContain('internal hint 42');
  });

  it('reads Retry-After of a 429 as seconds or as an HTTP date', async () => {
    const now = Date.parse('2026-05-04T10:00:00Z');
    let answer = 0;
    const { http } = await upstreamWith(
      (_request, response) => {
        answer += 1;
        const retryAfter = answer === 1 ? '7' : new Date(now + 30_000).toUTCString();
        json(response, 429, {}, { 'retry-after': retryAfter });
      },
      { clock: () => now },
    );
    const seconds = await failureOf(http.get('/r', {}, pageModel));
    expect(seconds.code).toBe('UPSTREAM_RATE_LIMITED');
    expect(seconds.retryAfterSeconds).toBe(7);
    const date = await failureOf(http.get('/r', {}, pageModel));
    expect(date.retryAfterSeconds).toBe(30);
  });

  it('maps a body that is not JSON, or not the expected shape, to UPSTREAM_BAD_RESPONSE and logs it', async () => {
    const logger = recordingLogger();
    let answer = 0;
    const { http } = await upstreamWith(
      (_request, response) => {
        answer += 1;
        if (answer === 1) json(response, 200, '{"items": [{"amount": 12');
        else json(response, 200, { items: [{ amount: '12' }] });
      },
      { logger },
    );
    const truncated = await failureOf(http.get('/p', {}, pageModel));
    expect(truncated.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(truncated.message).not.toContain('"amount": 12');
    const wrongShape = await failureOf(http.get('/p', {}, pageModel));
    expect(wrongShape.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(wrongShape.message).toContain('items.0.amount');
    expect(logger.lines.filter((line) => line.msg === 'upstream request failed')).toHaveLength(2);
    expect(JSON.stringify(logger.lines)).toContain('{\\"items\\": [{\\"amount\\": 12');
  });

  it('retries once with a fresh token after a 401, and gives up after the second', async () => {
    let refusals = 1;
    const { peer, http } = await upstreamWith((_request, response) => {
      if (refusals > 0) {
        refusals -= 1;
        json(response, 401, { code: 'Unauthorized', message: 'Please check your API keys' });
      } else json(response, 200, { items: [] });
    });
    await http.get('/p', {}, pageModel);
    expect(peer.requests.map((request) => `${request.url} ${request.headers.authorization ?? ''}`)).toEqual([
      '/miami/v1/token Basic Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQ=',
      '/p Bearer token-1',
      '/miami/v1/token Basic Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQ=',
      '/p Bearer token-2',
    ]);

    refusals = 2;
    const error = await failureOf(http.get('/p', {}, pageModel));
    expect(error.code).toBe('UPSTREAM_UNAUTHORIZED');
    expect(peer.requests).toHaveLength(4 + 3);
  });

  it('lets a token source sit in front of the endpoint and tells it which token was refused', async () => {
    const discarded: string[] = [];
    let fetches = 0;
    let refusals = 1;
    const { http } = await upstreamWith(
      (_request, response) => {
        if (refusals-- > 0) json(response, 401, {});
        else json(response, 200, { items: [] });
      },
      {
        tokenSource: (endpoint) => ({
          fetch: () => {
            fetches += 1;
            return endpoint.fetch();
          },
          discard: (token) => {
            discarded.push(token);
          },
        }),
      },
    );
    await http.get('/p', {}, pageModel);
    expect(fetches).toBe(2);
    expect(discarded).toEqual(['token-1']);
  });

  it('survives a failing token endpoint: the old token serves until expiry, a later refresh recovers', async () => {
    let now = Date.parse('2026-05-04T10:00:00Z');
    let tokenEndpointUp = true;
    const issue = tokenIssuer(100);
    peer = await startPeer((request, response) => {
      if (request.url !== '/miami/v1/token') json(response, 200, { items: [] });
      else if (tokenEndpointUp) issue(response);
      else json(response, 503, {});
    });
    http = new UpstreamHttp({ baseUrl: peer.url, credentials: { clientId: 'a', clientSecret: 'b' }, systemName: 's', systemVersion: '1', clock: () => now });
    expect(await http.tokens.get()).toBe('token-1');

    tokenEndpointUp = false;
    now += 95_000; // inside the refresh margin: the background refresh fails quietly
    expect(await http.tokens.get()).toBe('token-1');
    await vi.waitFor(() => expect(peer?.requests).toHaveLength(2));

    now += 10_000; // expired: now the failure is the caller's
    expect((await failureOf(http.tokens.get())).code).toBe('UPSTREAM_UNAVAILABLE');

    tokenEndpointUp = true;
    expect(await http.tokens.get()).toBe('token-2');
  });

  it('maps a refused token request to UPSTREAM_UNAUTHORIZED on the token route', async () => {
    peer = await startPeer((_request, response) => json(response, 401, { error: 'invalid_client' }));
    http = new UpstreamHttp({ baseUrl: peer.url, credentials: { clientId: 'x', clientSecret: 'y' }, systemName: 's', systemVersion: '1' });
    const error = await failureOf(http.get('/p', {}, pageModel));
    expect(error.code).toBe('UPSTREAM_UNAUTHORIZED');
    expect(error.route).toBe('POST /miami/v1/token');
  });

  it('maps an answer that never comes to UPSTREAM_TIMEOUT', async () => {
    const { http } = await upstreamWith(() => {}, { timeouts: { requestMs: 200 } });
    const error = await failureOf(http.get('/hang', {}, pageModel));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
  });

  it('maps a refused connection to UPSTREAM_UNAVAILABLE', async () => {
    const closed = await startPeer(() => {});
    await closed.close();
    http = new UpstreamHttp({ baseUrl: closed.url, credentials: { clientId: 'x', clientSecret: 'y' }, systemName: 's', systemVersion: '1' });
    const error = await failureOf(http.get('/p', {}, pageModel));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('returns sockets to the pool after failed answers', async () => {
    const { peer, http } = await upstreamWith((_request, response) => json(response, 503, { detail: 'x'.repeat(100_000) }), { connections: 2 });
    for (let attempt = 0; attempt < 20; attempt += 1) {
      expect((await failureOf(http.get('/p', {}, pageModel))).code).toBe('UPSTREAM_UNAVAILABLE');
    }
    expect(peer.requests).toHaveLength(21);
    expect(peer.connections()).toBeLessThanOrEqual(2);
  });

  it('stops a paging loop that never ends', async () => {
    const { http } = await upstreamWith((_request, response) => json(response, 200, { items: [], hasMore: true, cursor: 'same', tryLater: false }));
    const error = await failureOf(new ReportClient(http).forDate('1', 'funds', '2026-05-01'));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.route).toBe('GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}');
  });
});

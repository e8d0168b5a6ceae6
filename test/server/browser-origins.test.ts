import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compose, type Runtime } from '../../src/compose.ts';
import { loadConfig } from '../../src/config.ts';
import { EmulatorAdmin } from '../../src/emulator/admin-client.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { silentLogger } from '../../src/logger.ts';
import { gatewayFromRuntime } from '../../src/server/from-runtime.ts';
import type { Gateway } from '../../src/server/gateway.ts';
import { launchChromium, type Chromium } from '../support/chromium.ts';

/**
 * CORS and CSRF as a browser enforces them: a real headless Chromium on two pages of other
 * origins than the gateway's. The page of the allowed origin reads answers; the foreign page
 * tries every way a page has to send a document (preflighted, simple, opaque, a form, a GET
 * link) and reads nothing, and nothing it sends runs: the emulator counts no upstream call.
 */

const query = '{ ledgers(first: 2) { edges { node { ledgerId currency } } } }';
const answerModel = z.object({ data: z.object({ ledgers: z.object({ edges: z.array(z.object({ node: z.object({ ledgerId: z.string() }) })) }) }) });

/** What a page got from one attempt: the text it could read, or why it could not. */
const attemptModel = z.object({ read: z.string().nullable(), failure: z.string().nullable() });
type Attempt = z.infer<typeof attemptModel>;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A blank page served from an origin of its own. */
function blankPage(): Server {
  return createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>a page</title>');
  });
}

/** `fetch` from inside the page, as its scripts would call it. */
function fetchFromPage(page: Page, url: string, init: RequestInit): Promise<Attempt> {
  return page
    .evaluate(
      async ({ url, init }) => {
        try {
          const response = await fetch(url, init);
          // An opaque answer (mode no-cors) has no status and an empty body: nothing read.
          const text = response.type === 'opaque' ? null : await response.text();
          return { read: text === '' ? null : text, failure: null };
        } catch (error) {
          return { read: null, failure: String(error) };
        }
      },
      { url, init },
    )
    .then((attempt) => attemptModel.parse(attempt));
}

describe('the gateway in a browser, from another origin', () => {
  let emulator: RunningEmulator;
  let runtime: Runtime;
  let gateway: Gateway;
  const servers: Server[] = [];
  let graphqlUrl: string;
  let allowedOrigin: string;
  let foreignOrigin: string;
  let chromium: Chromium;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, now: '2026-05-20T12:00:00Z' });
    const allowedPage = blankPage();
    const foreignPage = blankPage();
    servers.push(allowedPage, foreignPage);
    [allowedOrigin, foreignOrigin] = await Promise.all([listen(allowedPage), listen(foreignPage)]);
    const partner = emulator.partners[0]!;
    runtime = await compose(
      loadConfig({
        VIPPS_BASE_URL: emulator.url,
        VIPPS_CLIENT_ID: partner.clientId,
        VIPPS_CLIENT_SECRET: partner.clientSecret,
        AUTH_MODE: 'open',
        CORS_ORIGINS: allowedOrigin,
      }),
      { logger: silentLogger },
    );
    gateway = gatewayFromRuntime(runtime);
    const api = createServer(gateway.yoga);
    servers.push(api);
    graphqlUrl = `${await listen(api)}/graphql`;
    chromium = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await gateway?.close();
    await runtime?.close();
    await emulator?.close();
  });

  async function pageAt(origin: string): Promise<Page> {
    const page = await chromium.context.newPage();
    await page.goto(`${origin}/`);
    return page;
  }

  it('lets a foreign page read nothing and run nothing, however it sends the document', async () => {
    const page = await pageAt(foreignOrigin);
    const body = JSON.stringify({ query });
    const attempts: Record<string, Attempt> = {
      'POST application/json (preflighted)': await fetchFromPage(page, graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
      'POST application/json with cookies': await fetchFromPage(page, graphqlUrl, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body,
      }),
      'POST text/plain (no preflight)': await fetchFromPage(page, graphqlUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body }),
      'POST text/plain, opaque (no-cors)': await fetchFromPage(page, graphqlUrl, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body }),
      'POST form-urlencoded, opaque': await fetchFromPage(page, graphqlUrl, {
        method: 'POST',
        mode: 'no-cors',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query }).toString(),
      }),
      'GET with the document in the URL, opaque': await fetchFromPage(page, `${graphqlUrl}?query=${encodeURIComponent(query)}`, { mode: 'no-cors' }),
    };
    // A form the page submits into a frame: the browser shows the answer there, which the page
    // cannot read, and the gateway must not run the document either.
    const submitted = page.waitForResponse((response) => response.url() === graphqlUrl);
    await page.evaluate(
      ({ action, query }) => {
        const frame = document.createElement('iframe');
        frame.name = 'answer';
        document.body.append(frame);
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = action;
        form.target = 'answer';
        const field = document.createElement('input');
        field.name = 'query';
        field.value = query;
        form.append(field);
        document.body.append(form);
        form.submit();
      },
      { action: graphqlUrl, query },
    );
    const formAnswer = await submitted;
    await page.close();

    expect(Object.keys(attempts)).toHaveLength(6);
    expect(Object.entries(attempts).filter(([, attempt]) => attempt.read !== null)).toEqual([]);
    expect(formAnswer.status()).toBeGreaterThanOrEqual(400);
    // Nothing is reflected: the header names the allowed origin, never the asking one.
    expect(formAnswer.headers()['access-control-allow-origin']).not.toBe(foreignOrigin);
    // Nothing ran: not even the ledger list was asked of upstream.
    expect((await new EmulatorAdmin(emulator.url).stats()).total).toBe(0);
  }, 60_000);

  it('answers the page of the allowed origin, without its cookies unless configured', async () => {
    const page = await pageAt(allowedOrigin);
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) };
    const read = await fetchFromPage(page, graphqlUrl, init);
    const withCookies = await fetchFromPage(page, graphqlUrl, { ...init, credentials: 'include' });
    await page.close();

    expect(read.failure).toBeNull();
    const fromPage = answerModel.parse(JSON.parse(read.read ?? 'null'));
    const direct = answerModel.parse(await (await gateway.yoga.fetch('http://localhost/graphql', init)).json());
    expect(fromPage).toEqual(direct);
    expect(fromPage.data.ledgers.edges.length).toBeGreaterThan(0);
    // CORS_CREDENTIALS is off: the browser withholds an answer to a request that sent cookies.
    expect(withCookies).toEqual({ read: null, failure: expect.stringContaining('Failed to fetch') });
  }, 60_000);
});

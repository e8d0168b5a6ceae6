import { createServer, type Server } from 'node:http';
import type { BrowserContext, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { addDays } from '../../src/kernel/calendar.ts';
import { silentLogger } from '../../src/logger.ts';
import { createGateway, type Gateway } from '../../src/server/gateway.ts';
import { createUpstream, type Upstream } from '../../src/sources/index.ts';
import { launchChromium, type Chromium } from '../support/chromium.ts';

/**
 * GraphiQL in a real headless Chromium (Debian's, driven by playwright-core) that may reach
 * nothing but the gateway: the editor comes up, opens on the ledger-day query with a ledger
 * and the newest closed date that has sales, and running it as is answers that day in full.
 *
 * The clock stands at 03:30 in Oslo, before the 04:00 cut-off of the demo partner's first
 * ledger: "yesterday" is still open there, so the example has to look further back.
 */

const now = '2026-05-20T01:30:00Z';
/** A 9 MB page parsed on a busy two-core machine: bounds for "eventually", not for speed. */
const rendered = { timeout: 20_000, interval: 100 };

const variablesModel = z.object({ ledgerId: z.string(), date: z.string() });
const ledgerDayModel = z.object({
  data: z.object({
    ledger: z.object({
      __typename: z.literal('Ledger'),
      sales: z.object({
        totalCount: z.number(),
        edges: z.array(z.object({ node: z.object({ settlement: z.object({ status: z.string() }) }) })),
      }),
    }),
  }),
  errors: z.array(z.unknown()).optional(),
});

describe('GraphiQL in a browser without network', () => {
  let emulator: RunningEmulator;
  let upstream: Upstream;
  let gateway: Gateway;
  let server: Server;
  let origin: string;
  let chromium: Chromium;
  let browser: BrowserContext;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, now });
    const partner = emulator.partners[0]!;
    upstream = createUpstream({
      baseUrl: emulator.url,
      credentials: { clientId: partner.clientId, clientSecret: partner.clientSecret },
      systemName: 'graphiql-test',
      systemVersion: '1',
    });
    gateway = createGateway(loadConfig({}), { upstream, logger: silentLogger, now: () => Date.parse(now) });
    server = createServer(gateway.yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    chromium = await launchChromium();
    browser = chromium.context;
  });
  afterAll(async () => {
    await chromium?.close();
    await new Promise((resolve) => server?.close(resolve));
    await gateway?.close();
    await upstream?.close();
    await emulator?.close();
  });

  it('opens on a closed ledger day with sales, runs it as is, and asks nothing of any other origin', async () => {
    const requested: string[] = [];
    const blocked: string[] = [];
    await browser.route('**/*', async (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.on('request', (request: Request) => requested.push(request.url()));

    // The example is looked up on the first page load, which opens on a placeholder if that
    // takes a busy machine more than a few seconds: wait until the page names a ledger.
    await expect
      .poll(async () => (await fetch(`${origin}/graphql`, { headers: { accept: 'text/html' } })).text(), rendered)
      .not.toContain('your ledgerId');

    // The editors render spaces as no-break spaces.
    const textOf = async (selector: string) => (await page.locator(selector).innerText()).replaceAll('\u00a0', ' ');
    await page.goto(`${origin}/graphql`, { timeout: 45_000 });
    expect(blocked, 'the page asked other origins for its scripts').toEqual([]);
    await expect.poll(() => textOf('.graphiql-query-editor'), rendered).toContain('query LedgerDay($ledgerId: String!, $date: Date!)');
    await expect.poll(() => textOf('.graphiql-editor-tool'), rendered).toContain('"ledgerId"');
    const variablesText = await textOf('.graphiql-editor-tool');
    const variables = variablesModel.parse(JSON.parse(variablesText.slice(variablesText.indexOf('{'))));

    // The example is the newest closed date with sales: every later date up to the clock's is
    // still open, or has none.
    expect((await upstream.report.forDate(variables.ledgerId, 'funds', variables.date)).isClosed).toBe(true);
    for (let date = addDays(variables.date, 1); date <= now.slice(0, 10); date = addDays(date, 1)) {
      const closed = (await upstream.report.forDate(variables.ledgerId, 'funds', date)).isClosed;
      if (closed) expect(await upstream.sales.forDate(variables.ledgerId, date), date).toEqual([]);
    }

    const answered = page.waitForResponse((response) => response.request().method() === 'POST' && (response.request().postData() ?? '').includes('"operationName":"LedgerDay"'));
    await page.locator('.graphiql-execute-button').click();
    const answer = ledgerDayModel.parse(await (await answered).json());
    expect(answer.errors).toBeUndefined();
    expect(answer.data.ledger.sales.totalCount).toBeGreaterThan(0);
    // A closed date: every sale's money is booked, none pending.
    expect(answer.data.ledger.sales.edges.map((edge) => edge.node.settlement.status)).not.toContain('PENDING');
    await expect.poll(() => textOf('.graphiql-response'), rendered).toContain('"totalCount"');

    expect(blocked).toEqual([]);
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url))).toEqual([]);
  }, 60_000);
});

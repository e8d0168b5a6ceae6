import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { addDays } from '../../src/kernel/calendar.ts';
import { sumExact } from '../../src/kernel/exact.ts';
import type { Upstream } from '../../src/sources/index.ts';
import { testNow, today } from '../support/clock.ts';
import { it as base } from '../support/harness.ts';
import { routes } from '../support/routes.ts';
import { portalManifest, portalTenantsFile, startPortalWorld, type PortalWorld } from './world.ts';

/**
 * The partner portal in Debian's headless Chromium, against the emulator over HTTP: what a
 * merchant sees is what upstream's raw answers say, and nothing of another merchant's reaches
 * it however the page, its URL or its requests are edited. The screenshots in docs/ are taken
 * here, from the real page.
 */

const it = base.extend('world', { scope: 'file' }, async ({ emulator }, { onCleanup }): Promise<PortalWorld> => {
  const world = await startPortalWorld(emulator);
  onCleanup(() => world.close());
  return world;
});

/** Rendering on a busy two-core machine: bounds for "eventually", not for speed. */
const rendered = { timeout: 20_000 };
/** The newest closed date at the test clock: the page opens on it. */
const yesterday = addDays(today, -1);

const tenantsModel = z.object({ tenants: z.array(z.object({ id: z.string(), ledgers: z.array(z.string()) })) });
const grantOf = (tenant: string) => tenantsModel.parse(parse(readFileSync(portalTenantsFile, 'utf8'))).tenants.find((each) => each.id === tenant)?.ledgers ?? [];

/** Exact minor units from a rendered `data-decimal` (e.g. `-670.83` → -67083). */
const minorUnitsOf = (decimal: string) => Number(decimal.replace('.', ''));

async function newSession(world: PortalWorld): Promise<{ page: Page; graphqlBodies: string[] }> {
  const page = await world.chromium.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  // The page picks "yesterday" on the browser's clock; the emulator stands at the test clock.
  await page.clock.setFixedTime(testNow);
  const graphqlBodies: string[] = [];
  page.on('request', (request) => {
    // Requests that answer once; the live stream of closed dates is one per sign-in, not per view.
    if (request.url() === world.gatewayUrl && request.method() === 'POST' && request.headers().accept !== 'text/event-stream') graphqlBodies.push(request.postData() ?? '');
  });
  return { page, graphqlBodies };
}

async function signIn(world: PortalWorld, page: Page, merchant: string): Promise<void> {
  await page.goto(`${world.portal.origin}/`);
  await page.locator(`button[data-merchant="${merchant}"]`).click();
  await page.locator('[data-section="ledgers"][data-state="ready"]').waitFor(rendered);
}

const ledgersShown = (page: Page) => page.locator('[data-ledger]').evaluateAll((items) => items.map((item) => item.getAttribute('data-ledger')).sort());
const totalOf = async (page: Page, name: string) => minorUnitsOf((await page.locator(`[data-total="${name}"] .money`).getAttribute('data-decimal')) ?? 'NaN');

/** A ledger date's figures computed from upstream's raw answers, as the day view must show them. */
async function expectedDay(direct: Upstream, ledgerId: string, date: string) {
  const [funds, sales] = await Promise.all([direct.report.forDate(ledgerId, 'funds', date), direct.sales.forDate(ledgerId, date)]);
  const ofTypes = (...types: string[]) => sumExact(funds.entries.filter((entry) => types.includes(entry.entryType)), (entry) => entry.amount);
  return {
    captures: ofTypes('capture'),
    refunds: ofTypes('refund'),
    fees: ofTypes('fees-retained'),
    payouts: ofTypes('payout-scheduled', 'scheduled-for-payout'),
    sold: sumExact(sales, (sale) => sale.amounts.gross ?? 0),
    closing: funds.entries.at(-1)?.balanceAfter,
    sales,
  };
}

describe('the partner portal in a browser', () => {
  it('signs merchant A in to exactly its ledgers and shows a day whose figures are upstream’s, in one request per view', async ({ world, direct, emulator }) => {
    const { page, graphqlBodies } = await newSession(world);
    try {
      await signIn(world, page, 'kafe');
      const granted = (await emulator.grantedLedgers()).map((ledger) => ledger.ledgerId);
      const own = grantOf('kafe').filter((ledgerId) => granted.includes(ledgerId));
      expect(own.length).toBeGreaterThan(1);
      expect(await ledgersShown(page)).toEqual([...own].sort());

      await page.locator('[data-section="totals"][data-state="ready"]').waitFor(rendered);
      const [, ledgerId = '', view, date] = new URL(page.url()).hash.split('/');
      expect([view, date]).toEqual(['day', yesterday]);
      const expected = await expectedDay(direct, ledgerId, yesterday);
      expect(expected.sales.length).toBeGreaterThan(0);
      expect(await totalOf(page, 'captures')).toBe(expected.captures);
      expect(await totalOf(page, 'refunds')).toBe(expected.refunds);
      expect(await totalOf(page, 'fees')).toBe(expected.fees);
      expect(await totalOf(page, 'payouts')).toBe(expected.payouts);
      expect(await totalOf(page, 'sold')).toBe(expected.sold);
      expect(await totalOf(page, 'closing')).toBe(expected.closing);
      // Every sale, with its gross exactly and settled on a closed date.
      const rows = page.locator('[data-section="sales"] tr[data-sale]');
      expect(await rows.count()).toBe(expected.sales.length);
      const shownGross = await rows.evaluateAll((items) => items.map((row) => row.querySelector('td:nth-child(3) .money')?.getAttribute('data-decimal') ?? ''));
      expect(shownGross.map(minorUnitsOf)).toEqual(expected.sales.map((sale) => sale.amounts.gross));
      expect(await page.locator('[data-settlement="PENDING"]').count()).toBe(0);
      await page.screenshot({ path: 'docs/portal-day.png' });

      // Sign-in, then the day: the ledger list and the day view, one trusted document each.
      expect(graphqlBodies).toHaveLength(2);
      for (const body of graphqlBodies) expect(Object.keys(JSON.parse(body) as object).sort()).toEqual(['documentId', 'variables']);

      // Today is still open: the page says so beside the figures.
      await page.locator('input[aria-label="Ledger date"]').fill(today);
      await page.locator('[data-section="totals"][data-state="open"] [data-notice="not-closed"]').waitFor(rendered);
      expect(graphqlBodies).toHaveLength(3);
    } finally {
      await page.close();
    }
  });

  it('shows the payouts with the dates and sales they cover, and the reconciliation of a date', async ({ world, direct }) => {
    const { page } = await newSession(world);
    try {
      await signIn(world, page, 'kafe');
      const ledgerId = grantOf('kafe')[0]!;
      await page.goto(`${world.portal.origin}/#/${ledgerId}/payouts/${yesterday}`);
      await page.locator('[data-section="payouts"][data-state="ready"]').waitFor(rendered);
      const days = await Promise.all(Array.from({ length: 14 }, (_, index) => direct.report.forDate(ledgerId, 'funds', addDays(yesterday, index - 13))));
      const payoutEntries = days.flatMap((day) => day.entries).filter((entry) => entry.entryType === 'payout-scheduled' || entry.entryType === 'scheduled-for-payout');
      expect(payoutEntries.length).toBeGreaterThan(0);
      const shown = await page.locator('[data-payout]').evaluateAll((items) =>
        items.map((item) => ({ number: item.getAttribute('data-payout'), amount: item.querySelector('h3 .money')?.getAttribute('data-decimal') ?? '' })),
      );
      // A payout's amount is what leaves the funds account: the entry's amount, negated.
      expect(shown.map((payout) => ({ number: payout.number, amount: minorUnitsOf(payout.amount) }))).toEqual(
        payoutEntries.map((entry) => ({ number: entry.pspReference?.split('-').at(-1) ?? '', amount: -entry.amount })),
      );
      expect(await page.locator('[data-covered]').first().getAttribute('data-covered')).toMatch(/^\d{4}-\d{2}-\d{2}/);
      await page.screenshot({ path: 'docs/portal-payouts.png' });

      // The reconciliation of the newest of those dates with a movement that is not a sale's
      // capture, refund, fee or payout (a dispute of an earlier capture, say): it has to say why.
      const usual = ['capture', 'refund', 'fees-retained', 'payout-scheduled', 'scheduled-for-payout'];
      const unusualDay = days.findLast((day) => day.entries.some((entry) => !usual.includes(entry.entryType)));
      expect(unusualDay).toBeDefined();
      const date = unusualDay!.date;
      await page.locator('a[data-view="reconciliation"]').click();
      await page.locator(`[data-section="reconciliation"]:not([data-state="loading"]) h2:has-text("${yesterday}")`).waitFor(rendered);
      await page.locator('input[aria-label="Ledger date"]').fill(date);
      await page.locator(`[data-section="reconciliation"]:not([data-state="loading"]) h2:has-text("${date}")`).waitFor(rendered);
      const sales = await direct.sales.forDate(ledgerId, date);
      const movingMoney = sales.filter((sale) => sale.pspReference !== null);
      expect(await page.locator('[data-total="matched"] td').innerText()).toMatch(new RegExp(` of ${movingMoney.length}$`));
      expect(await totalOf(page, 'sold')).toBe(sumExact(movingMoney, (sale) => sale.amounts.gross ?? 0));
      // Every entry that is not a sale's capture or refund is listed, each with its reason.
      const notSales = unusualDay!.entries.filter((entry) => entry.entryType !== 'capture' && entry.entryType !== 'refund');
      expect(await page.locator('ul.not-sales li').evaluateAll((items) => items.map((item) => item.getAttribute('data-psp')))).toEqual(
        notSales.map((entry) => entry.pspReference),
      );
      expect(await page.locator('ul.not-sales').innerText()).toContain('a dispute of an earlier capture');
      await page.screenshot({ path: 'docs/portal-reconciliation.png' });
    } finally {
      await page.close();
    }
  });

  it('keeps merchant A’s ledgers from merchant B, through the page, an edited URL and edited requests', async ({ world, direct }) => {
    const ledgersOfA = grantOf('kafe');
    const salesOfA = (await Promise.all(ledgersOfA.map((ledgerId) => direct.sales.forDate(ledgerId, yesterday)))).flat();
    const valuesOfA = new Set([...ledgersOfA, ...salesOfA.flatMap((sale) => [sale.reference, sale.pspReference ?? ''])].filter((value) => value !== ''));
    expect(valuesOfA.size).toBeGreaterThan(100);
    const { page } = await newSession(world);
    const answers: Promise<string>[] = [];
    page.on('response', (response) => {
      // Every answer that ends; the live stream of B's own closed dates stays open (its tenant filter: test/live).
      const streaming = response.request().headers().accept === 'text/event-stream';
      if (response.url().startsWith(world.gatewayUrl) && response.request().method() !== 'OPTIONS' && !streaming) answers.push(response.text());
    });
    const answered = () => page.waitForResponse((response) => response.url() === world.gatewayUrl && response.request().method() === 'POST');
    const views = ['day', 'payouts', 'reconciliation'];
    let attempts = 0;
    try {
      await signIn(world, page, 'matvogna');
      const [ownLedger = ''] = grantOf('matvogna');
      expect(await ledgersShown(page)).toEqual([ownLedger]);
      await page.locator('[data-section="totals"][data-state="ready"]').waitFor(rendered);

      // The URL, edited to A's ledgers in every view: "not found", as for a ledger that does not exist.
      for (const ledgerId of ledgersOfA) {
        for (const view of views) {
          await Promise.all([answered(), page.evaluate((hash) => (location.hash = hash), `#/${ledgerId}/${view}/${yesterday}`)]);
          await page.locator('[data-section="ledger"][data-state="not-found"]').waitFor(rendered);
          attempts += 1;
        }
      }
      await page.screenshot({ path: 'docs/portal-not-found.png' });
      // The requests of B's own views, edited on their way to A's ledger.
      const target = ledgersOfA[0]!;
      await page.route(world.gatewayUrl, async (route) => {
        const body = JSON.parse(route.request().postData() ?? '{}') as { variables?: { ledgerId?: string } };
        if (route.request().method() !== 'POST' || body.variables?.ledgerId === undefined) return route.continue();
        body.variables.ledgerId = target;
        return route.continue({ postData: JSON.stringify(body) });
      });
      for (const view of views) {
        await Promise.all([answered(), page.evaluate((hash) => (location.hash = hash), `#/${ownLedger}/${view}/${addDays(yesterday, -1)}`)]);
        await page.locator('[data-section="ledger"][data-state="not-found"]').waitFor(rendered);
        attempts += 1;
      }
      await page.unroute(world.gatewayUrl);
      // A document of B's own, and B's token with its tenant claim edited, sent from the page.
      const refusals = await page.evaluate(
        async ({ url, target, date }) => {
          const token = (JSON.parse(sessionStorage.getItem('portal.session') ?? '{}') as { token: string }).token;
          const [header, payload, signature] = token.split('.');
          const claims = JSON.parse(atob(payload!.replaceAll('-', '+').replaceAll('_', '/'))) as Record<string, unknown>;
          const forged = [header, btoa(JSON.stringify({ ...claims, tenant: 'kafe' })).replaceAll('=', '').replaceAll('+', '-').replaceAll('/', '_'), signature].join('.');
          const post = async (bearer: string, body: unknown) => {
            const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) });
            return response.status;
          };
          const document = `{ ledger(id: "${target}") { ... on Ledger { sales(date: "${date}", first: 5) { edges { node { reference pspReference } } } } } }`;
          return [await post(token, { query: document }), await post(forged, { query: document })];
        },
        { url: world.gatewayUrl, target, date: yesterday },
      );
      attempts += refusals.length;
      expect(refusals).toEqual([403, 401]);
      const bodies = await Promise.all(answers);
      expect(bodies.length).toBeGreaterThanOrEqual(attempts);
      const values = bodies.flatMap((body) => stringsIn(JSON.parse(body)));
      // The answers are read: B's own ledger is in them, A's values are not.
      expect(values).toContain(ownLedger);
      const reached = values.filter((value) => valuesOfA.has(value));
      expect({ attempts, reached }).toEqual({ attempts: 11, reached: [] });
    } finally {
      await page.close();
    }
  });

  it('lets no page of another origin read the gateway, even with a valid token', async ({ world }) => {
    const foreign = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end('<!doctype html><title>elsewhere</title>');
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
    const page = await world.chromium.context.newPage();
    try {
      const session = await world.identity.signIn('kafe');
      const documentId = Object.keys(JSON.parse(readFileSync(portalManifest, 'utf8')) as object)[0]!;
      await page.goto(`${foreignOrigin}/`);
      const outcome = await page.evaluate(
        async ({ url, token, documentId }) => {
          let cors: string;
          try {
            const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ documentId }) });
            cors = `read: ${await response.text()}`;
          } catch {
            cors = 'blocked';
          }
          const opaque = await fetch(`${url}?documentId=${encodeURIComponent(documentId)}`, { mode: 'no-cors' });
          return { cors, noCors: { type: opaque.type, status: opaque.status, body: await opaque.text() } };
        },
        { url: world.gatewayUrl, token: session!.token, documentId },
      );
      expect(outcome).toEqual({ cors: 'blocked', noCors: { type: 'opaque', status: 0, body: '' } });
      // The preflight says why: whoever asks, the gateway names the portal's origin as the one
      // allowed, and the browser keeps the answer from any other.
      for (const origin of [foreignOrigin, world.portal.origin]) {
        const preflight = await fetch(world.gatewayUrl, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
        });
        expect(preflight.headers.get('access-control-allow-origin')).toBe(world.portal.origin);
      }
    } finally {
      await page.close();
      // The browser outlives the page and keeps its connection to the server open.
      foreign.closeAllConnections();
      await new Promise((resolve) => foreign.close(resolve));
    }
  });

  it('shows an upstream fault where it hits, and the rest of the page stays', async ({ world, direct, admin }) => {
    const { page } = await newSession(world);
    // A date no test read yet: nothing of it is cached, so the Sales API is asked.
    const date = addDays(yesterday, -3);
    const ledgerId = grantOf('kafe')[1]!;
    try {
      await signIn(world, page, 'kafe');
      await admin.setFaults({ routes: { [routes.salesDate]: { rate5xx: 1 } } });
      await page.goto(`${world.portal.origin}/#/${ledgerId}/day/${date}`);
      await page.locator('[data-section="sales"][data-state="error"] [data-code="UPSTREAM_UNAVAILABLE"]').waitFor(rendered);
      expect(await page.locator('[data-section="sales"] .error').innerText()).toContain('Upstream unavailable');
      // The Report API still answered: the totals stand, the sales total says what is missing.
      await page.locator('[data-section="totals"][data-state="ready"]').waitFor(rendered);
      const expected = await expectedDay(direct, ledgerId, date).catch(() => null);
      const funds = await direct.report.forDate(ledgerId, 'funds', date);
      expect(await totalOf(page, 'captures')).toBe(sumExact(funds.entries.filter((entry) => entry.entryType === 'capture'), (entry) => entry.amount));
      expect(expected).toBeNull();
      expect(await page.locator('[data-total="sold"]').innerText()).toContain('Sales unavailable');
      expect(await ledgersShown(page)).toEqual([...grantOf('kafe')].sort());
      await page.screenshot({ path: 'docs/portal-upstream-fault.png' });
    } finally {
      await admin.setFaults({});
      await page.close();
    }
  });
});

/** Every string and number in an answer, as strings. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string' || typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}

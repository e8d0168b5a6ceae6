import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { addDays } from '../../src/kernel/calendar.ts';
import { currencyExponent, minorUnitsToDecimal } from '../../src/kernel/money.ts';
import { syncOptions } from '../../src/sync/mirror.ts';
import { syncPass } from '../../src/sync/syncer.ts';
import { testNow, today } from '../support/clock.ts';
import { it as base } from '../support/harness.ts';
import { portalTenantsFile, startPortalWorld, type PortalWorld } from './world.ts';

/**
 * The portal's live list of closed dates in Debian's headless Chromium: a date closes in the
 * emulator (its clock passes midnight), the gateway's feed sync stores the page that shows it,
 * and the open page lists the date with upstream's closing balance, with no reload and no
 * polling request.
 */

const it = base.extend('world', { scope: 'file' }, async ({ emulator, redis }, { onCleanup }): Promise<PortalWorld> => {
  const world = await startPortalWorld(emulator, { redis });
  onCleanup(() => world.close());
  return world;
});

const rendered = { timeout: 20_000 };
const tenantsModel = z.object({ tenants: z.array(z.object({ id: z.string(), ledgers: z.array(z.string()) })) });
const kafeLedgers = tenantsModel.parse(parse(readFileSync(portalTenantsFile, 'utf8'))).tenants.find((tenant) => tenant.id === 'kafe')?.ledgers ?? [];

describe('the portal, live', () => {
  it('shows a date that closes while the page is open, with its closing balance, without polling', async ({ world, admin, direct }) => {
    const { config, upstream, mirror, logger, live } = world.gateway.runtime;
    if (mirror === null) throw new Error('the portal gateway should have a mirror');
    // The gateway's in-process sync, one pass at a time: the test says when the feed is read.
    const sync = async () => {
      const report = await syncPass({ ...syncOptions(config, upstream, mirror.store, logger, live), ledgerIds: kafeLedgers, minPollIntervalMs: 0 });
      expect(report.failed).toBe(0);
    };
    await sync();
    const page = await world.chromium.context.newPage();
    await page.clock.setFixedTime(testNow);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.url() === world.gatewayUrl && request.method() === 'POST') posts.push(request.headers().accept ?? '');
    });
    try {
      await page.goto(`${world.portal.origin}/`);
      await page.locator('button[data-merchant="kafe"]').click();
      await page.locator('[data-section="closed-days"][data-state="ready"]').waitFor(rendered);
      await page.locator('[data-section="totals"][data-state="ready"]').waitFor(rendered);
      const requestsBefore = posts.length;
      expect(await page.locator('[data-closed-date]').count()).toBe(0);

      await admin.setClock(`${addDays(today, 1)}T12:00:00Z`);
      await sync();
      const expected = await Promise.all(
        kafeLedgers.map(async (ledgerId) => {
          const funds = await direct.report.forDate(ledgerId, 'funds', today);
          const last = funds.entries.at(-1);
          return funds.isClosed && last !== undefined ? { ledgerId, decimal: minorUnitsToDecimal(last.balanceAfter, currencyExponent(last.currency)) } : null;
        }),
      );
      const closed = expected.filter((item) => item !== null);
      expect(closed.length).toBeGreaterThan(0);
      for (const { ledgerId, decimal } of closed) {
        const item = page.locator(`[data-closed-date="${today}"][data-closed-ledger="${ledgerId}"]`);
        await item.waitFor(rendered);
        expect(await item.locator('.money').getAttribute('data-decimal')).toBe(decimal);
      }
      // Nothing was asked again: the dates arrived on the stream opened at sign-in.
      expect(posts.slice(requestsBefore)).toEqual([]);
      expect(posts.filter((accept) => accept === 'text/event-stream')).toHaveLength(1);
      await page.screenshot({ path: 'docs/portal-live.png' });
    } finally {
      await page.close();
    }
    // The first sync pass walks two ledgers' history: on a busy two-core machine, more than the default.
  }, 180_000);
});

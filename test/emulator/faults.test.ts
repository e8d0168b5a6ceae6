import { describe, expect } from 'vitest';
import { z } from 'zod';
import { testNow, today } from '../support/clock.ts';
import { startTestEmulator } from '../support/emulator.ts';
import { it } from '../support/harness.ts';
import { adminRequest, PartnerClient, reportDatePageModel, walkReportFeed, type LedgerTraits } from './support.ts';

/** Faults at their configured rates, replayable by seed; statistics per route template. */

const ledgersRoute = 'GET /settlement/v1/ledgers' as const;
const dateRoute = 'GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}' as const;
const feedRoute = 'GET /report/v2/ledgers/{ledgerId}/{topic}/feed' as const;

describe('faults and statistics', () => {
  let client: PartnerClient;
  let ledger: LedgerTraits;

  it.beforeAll(async ({ emulator }) => {
    client = new PartnerClient(emulator.url, emulator.partner);
    // A daytime business, so the open date has entries before and after the lag.
    ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && !candidate.busiest && candidate.cutoffHour === 0 && candidate.settlement === 'daily');
    await client.get('/settlement/v1/ledgers'); // fetch the token before any fault is set
  });
  it.beforeEach(async ({ admin }) => {
    expect(await admin.setFaults({})).toEqual({});
  });

  async function statuses(path: string, count: number): Promise<number[]> {
    const result: number[] = [];
    for (let i = 0; i < count; i++) result.push((await client.get(path)).status);
    return result;
  }

  it('rejects nonsense configurations and clears with {}', async ({ emulator, admin }) => {
    for (const body of [{ default: { rate429: 2 } }, { default: { hangRate: -0.1 } }, { routes: { 'GET /nowhere': { rate5xx: 0.5 } } }, { default: { rate418: 0.1 } }, { sneaky: true }, 'not json']) {
      // Sent raw: the typed client would not let a nonsense configuration be written.
      expect((await adminRequest(emulator.url, 'PUT', 'faults', body)).status, JSON.stringify(body)).toBe(400);
    }
    const config = { seed: 'x', default: { latencyMs: 1 }, routes: { [dateRoute]: { rate429: 0.5, retryAfterSeconds: 3 } } };
    expect(await admin.setFaults(config)).toEqual(config);
    expect(await admin.faults()).toEqual(config);
    await admin.setFaults({});
    expect(await admin.faults()).toEqual({});
  });

  it('answers 429 with Retry-After at the configured rate on the configured route only, and replays by seed', async ({ admin }) => {
    const config = { seed: 'replay-1', routes: { [ledgersRoute]: { rate429: 0.3, retryAfterSeconds: 7 } } };
    await admin.setFaults(config);
    const answers = [];
    for (let i = 0; i < 300; i++) answers.push(await client.get('/settlement/v1/ledgers'));
    const throttled = answers.filter((answer) => answer.status === 429);
    expect(throttled.length).toBeGreaterThan(60);
    expect(throttled.length).toBeLessThan(120);
    for (const answer of throttled) expect(answer.headers.get('retry-after')).toBe('7');
    expect(answers.every((answer) => answer.status === 200 || answer.status === 429)).toBe(true);
    expect(new Set(await statuses(`/report/v2/ledgers/${ledger.ledgerId}/funds/dates/2026-05-19`, 30))).toEqual(new Set([200]));

    await admin.setFaults(config);
    expect(await statuses('/settlement/v1/ledgers', 300)).toEqual(answers.map((answer) => answer.status));
    await admin.setFaults({ ...config, seed: 'replay-2' });
    expect(await statuses('/settlement/v1/ledgers', 300)).not.toEqual(answers.map((answer) => answer.status));
  });

  it('answers 500, 502 and 503 at the configured rate', async ({ admin }) => {
    await admin.setFaults({ seed: 'errors', default: { rate5xx: 0.5 } });
    const result = await statuses('/settlement/v1/ledgers', 200);
    const failed = result.filter((status) => status >= 500);
    expect(failed.length).toBeGreaterThan(70);
    expect(failed.length).toBeLessThan(130);
    expect(new Set(failed)).toEqual(new Set([500, 502, 503]));
  });

  it('delays answers by the configured latency', async ({ admin }) => {
    await admin.setFaults({ routes: { [ledgersRoute]: { latencyMs: 300 } } });
    const started = performance.now();
    expect((await client.get('/settlement/v1/ledgers')).status).toBe(200);
    // A lower bound only: the answer cannot come before the configured delay.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('hangs without ever answering, and never touches the admin routes', async ({ emulator, admin }) => {
    await admin.setFaults({ default: { hangRate: 1 } });
    const hung = client.get('/settlement/v1/ledgers');
    const outcome = await Promise.race([hung.then(() => 'answered'), new Promise((resolve) => setTimeout(resolve, 500, 'still waiting'))]);
    expect(outcome).toBe('still waiting');
    expect((await adminRequest(emulator.url, 'GET', 'stats')).status).toBe(200);
    await admin.setFaults({});
    const other = await startTestEmulator();
    const demo = other.partners[0];
    if (!demo) throw new Error('no partner');
    const otherClient = new PartnerClient(other.url, demo);
    await otherClient.get('/settlement/v1/ledgers');
    await other.admin.setFaults({ default: { hangRate: 1 } });
    const neverAnswered = otherClient.get('/settlement/v1/ledgers').then(() => 'answered', () => 'connection closed');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await other.close();
    expect(await neverAnswered).toBe('connection closed');
    hung.catch(() => undefined);
  });

  it('sends truncated bodies with 200, and valid JSON that breaks the schema', async ({ admin }) => {
    const path = `/report/v2/ledgers/${ledger.ledgerId}/funds/dates/2026-05-19`;
    await admin.setFaults({ routes: { [dateRoute]: { malformedRate: 1 } } });
    const malformed = await client.get(path);
    expect(malformed.status).toBe(200);
    expect(() => JSON.parse(malformed.text)).toThrow();
    await admin.setFaults({ routes: { [dateRoute]: { schemaBreakRate: 1 } } });
    const broken = await client.get(path);
    expect(broken.status).toBe(200);
    const body: unknown = JSON.parse(broken.text);
    expect(reportDatePageModel.safeParse(body).success).toBe(false);
    const [first] = z.object({ items: z.array(z.unknown()) }).parse(body).items;
    expect(z.object({ amount: z.string() }).loose().safeParse(first).success).toBe(true);
  });

  it('keeps the newest entries out of the feed for the configured lag', async ({ admin }) => {
    const open = today;
    const latest = (entries: Array<{ time: string; ledgerDate: string }>) => entries.filter((entry) => entry.ledgerDate === open).map((entry) => Date.parse(entry.time));
    const plain = latest((await walkReportFeed(client, ledger.ledgerId, 'fees')).entries);
    await admin.setFaults({ routes: { [feedRoute]: { feedLagSeconds: 7200 } } });
    const lagged = latest((await walkReportFeed(client, ledger.ledgerId, 'fees')).entries);
    expect(lagged.length).toBeGreaterThan(0);
    expect(lagged.length).toBeLessThan(plain.length);
    expect(Math.max(...lagged)).toBeLessThanOrEqual(Date.parse(testNow) - 7_200_000);
  });

  it('counts upstream calls per route template since the last reset, admin calls excluded', async ({ emulator, admin }) => {
    expect((await adminRequest(emulator.url, 'POST', 'stats/reset')).status).toBe(204);
    const fresh = new PartnerClient(emulator.url, client.partner);
    await fresh.get('/settlement/v1/ledgers');
    await fresh.get(`/report/v2/ledgers/${ledger.ledgerId}/funds/dates/2026-05-19`);
    await fresh.get(`/report/v2/ledgers/${ledger.ledgerId}/fees/dates/2026-05-18`);
    await fresh.get(`/sales/report/v1/ledgers/${ledger.ledgerId}/psp-references/12345678901`);
    await fresh.get('/report/v2/ledgers/000000/funds/feed');
    await admin.ledgers();
    const stats = await admin.stats();
    expect(stats).toEqual({
      total: 6,
      routes: {
        'POST /miami/v1/token': 1,
        [ledgersRoute]: 1,
        [dateRoute]: 2,
        'GET /sales/report/v1/ledgers/{ledgerId}/psp-references/{pspReference}': 1,
        [feedRoute]: 1,
      },
    });
    await admin.resetStats();
    expect(await admin.stats()).toEqual({ total: 0, routes: {} });
  });
});

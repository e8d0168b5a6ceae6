import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { EmulatorAdmin } from '../../src/emulator/admin-client.ts';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.ts';
import { routes } from '../support/routes.ts';

/**
 * `npm start` as an operator runs it: npm, then the compiled gateway (built by
 * scripts/start.mjs when dist/ is missing or stale) with its embedded emulator. It answers, and
 * SIGTERM sent to npm reaches the gateway, which finishes the request in flight and exits 0.
 */

const ledgersAnswerModel = z.object({
  data: z.object({ ledgers: z.object({ edges: z.array(z.object({ node: z.object({ ledgerId: z.string() }) })).min(1) }) }),
});
const salesAnswerModel = z.object({
  data: z.object({ ledger: z.object({ __typename: z.literal('Ledger'), sales: z.object({ totalCount: z.number() }) }) }),
});

const post = (url: string, query: string, variables: Record<string, unknown> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });

describe('npm start (compiled)', () => {
  let started: GatewayProcess;

  // A first start compiles dist/ (tens of seconds on two busy cores): the hook's time, not a test's.
  beforeAll(async () => {
    started = await startGatewayProcess({ EMULATOR_NOW: '2026-05-20T12:00:00Z' }, { npmStart: true });
  }, 180_000);
  afterAll(() => started?.stop());

  it('answers, then drains the request in flight on SIGTERM to npm and exits 0', async () => {
    const { child: npm, lines, url: graphqlUrl, emulatorUrl } = started;
    if (emulatorUrl === null) throw new Error(`no embedded emulator in the log:\n${lines.join('\n')}`);
    const ledgers = ledgersAnswerModel.parse(await (await post(graphqlUrl, '{ ledgers(first: 1) { edges { node { ledgerId } } } }')).json());
    const ledgerId = ledgers.data.ledgers.edges[0]!.node.ledgerId;

    // The embedded emulator's admin routes answer only the token drawn and printed at start, and it is in no log line.
    const adminToken = lines.map((line) => /^Emulator admin: \S+ with Authorization: Bearer (\S+)$/.exec(line)?.[1]).find((token) => token !== undefined);
    if (adminToken === undefined) throw new Error(`no emulator admin token printed:\n${lines.join('\n')}`);
    expect((await fetch(`${emulatorUrl}/__emulator/credentials`)).status).toBe(401);
    expect(lines.filter((line) => line.startsWith('{') && line.includes(adminToken))).toEqual([]);
    const admin = new EmulatorAdmin(emulatorUrl, adminToken);
    // Sales dates answer after 1.5 s: long enough to send SIGTERM while one is in flight.
    await admin.setFaults({ routes: { [routes.salesDate]: { latencyMs: 1_500 } } });
    const slow = post(graphqlUrl, 'query ($id: String!) { ledger(id: $id) { __typename ... on Ledger { sales(date: "2026-05-18", first: 1) { totalCount } } } }', {
      id: ledgerId,
    });
    await vi.waitFor(async () => expect((await admin.stats()).routes[routes.salesDate]).toBe(1), { timeout: 5_000, interval: 50 });
    const exited = once(npm, 'exit');
    npm.kill('SIGTERM');

    const response = await slow;
    expect(response.status).toBe(200);
    expect(salesAnswerModel.parse(await response.json()).data.ledger.sales.totalCount).toBeGreaterThan(0);
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // The gateway itself stopped (an orphan would never log it) and nothing listens any more.
    const messages = started.logs().map((line) => line.msg);
    expect(messages).toContain('stopping: draining open requests');
    expect(messages.at(-1)).toBe('stopped');
    await expect(fetch(graphqlUrl.replace('/graphql', '/health'))).rejects.toThrow();
  });
});

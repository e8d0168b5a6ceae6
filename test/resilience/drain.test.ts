import { once } from 'node:events';
import { print } from 'graphql';
import { describe, expect, vi } from 'vitest';
import { EmulatorAdmin } from '../../src/emulator/admin-client.ts';
import { randomAdminToken } from '../../src/emulator/index.ts';
import type { ResilienceDayQuery } from '../gql/graphql.ts';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.ts';
import { answerModelFor } from '../support/graphql.ts';
import { it } from '../support/harness.ts';
import { routes } from '../support/routes.ts';
import { DayDocument } from './workload.ts';

/**
 * The real entry (`src/main.ts` through tsx) as a child process, with its embedded emulator and a
 * real Redis: SIGTERM while a request is in flight lets that request finish, then the process
 * closes its pools and Redis and exits 0.
 */

/** The embedded emulator's admin routes ask for a token; the test sets its own. */
const adminToken = randomAdminToken();

describe('SIGTERM', () => {
  let entry: GatewayProcess | undefined;

  it.afterAll(() => entry?.stop());

  it('drains the request in flight, then closes pools and Redis and exits 0', async ({ redis }) => {
    entry = await startGatewayProcess({ REDIS_URL: redis.url, EMULATOR_ADMIN_TOKEN: adminToken });
    const { child, url: gatewayUrl, emulatorUrl } = entry;
    if (emulatorUrl === null) throw new Error('the entry started no embedded emulator');
    // The entry's embedded emulator, reached through its admin routes.
    const admin = new EmulatorAdmin(emulatorUrl, adminToken);
    const [demo] = await admin.partners();
    const ledgerId = demo?.ledgerIds[0];
    if (ledgerId === undefined) throw new Error('the demo partner has no ledger');
    // Sales dates answer after 1.5 s: long enough to send SIGTERM while one is in flight.
    await admin.setFaults({ routes: { [routes.salesDate]: { latencyMs: 1_500 } } });

    const inFlight = fetch(`${gatewayUrl}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: print(DayDocument), variables: { id: ledgerId, date: '2026-05-18' } }),
    });
    await vi.waitFor(async () => expect((await admin.stats()).routes[routes.salesDate]).toBe(1), { timeout: 5_000, interval: 50 });
    const exited = once(child, 'exit');
    child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(200);
    const answer = answerModelFor<ResilienceDayQuery>().parse(await response.json());
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toMatchObject({ ledger: { __typename: 'Ledger', sales: { totalCount: expect.any(Number) } } });

    // No new connections once draining has begun.
    await expect(fetch(`${gatewayUrl.replace('/graphql', '/health')}`)).rejects.toThrow();
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const messages = entry.logs().map((line) => line.msg);
    expect(messages).toContain('stopping: draining open requests');
    expect(messages.at(-1)).toBe('stopped');
  });

  it('writes out every log line, the access lines of the last answers included, before it exits', async () => {
    const burst = await startGatewayProcess({ EMULATOR_ADMIN_TOKEN: adminToken });
    try {
      const requests = 20;
      const answers = await Promise.all(
        Array.from({ length: requests }, (_, index) =>
          fetch(burst.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-request-id': `last-${index}` },
            body: JSON.stringify({ query: '{ __typename }' }),
          }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: requests }, () => 200));
      // Right away: the access lines of these answers were written a moment ago, in a batch not yet out.
      const exited = once(burst.child, 'exit');
      burst.child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      const logs = burst.logs();
      const access = logs.filter((line) => line.msg === 'access').map((line) => line.callerRequestId);
      expect(access.sort()).toEqual(Array.from({ length: requests }, (_, index) => `last-${index}`).sort());
      expect(logs.at(-1)?.msg).toBe('stopped');
    } finally {
      await burst.stop();
    }
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { print } from 'graphql';
import { describe, expect, vi } from 'vitest';
import { z } from 'zod';
import { EmulatorAdmin } from '../../src/emulator/admin-client.ts';
import { randomAdminToken } from '../../src/emulator/index.ts';
import type { ResilienceDayQuery } from '../gql/graphql.ts';
import { testNow } from '../support/clock.ts';
import { answerModelFor } from '../support/graphql.ts';
import { it } from '../support/harness.ts';
import { routes } from '../support/routes.ts';
import { DayDocument } from './workload.ts';

/**
 * The real entry (`src/main.ts` through tsx) as a child process, with its embedded emulator and a
 * real Redis: SIGTERM while a request is in flight lets that request finish, then the process
 * closes its pools and Redis and exits 0.
 */

const logLineModel = z.object({ msg: z.string(), url: z.string().optional() }).loose();

interface Entry {
  child: ChildProcess;
  lines: string[];
  gatewayUrl: string;
  emulatorUrl: string;
}

/** The embedded emulator's admin routes ask for a token; the test sets its own. */
const adminToken = randomAdminToken();

async function startEntry(env: Record<string, string>): Promise<Entry> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', EMULATOR_NOW: testNow, EMULATOR_ADMIN_TOKEN: adminToken, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let emulatorUrl = '';
  const started = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const graphiql = /^GraphiQL: (\S+)$/.exec(line);
      if (graphiql?.[1]) resolve(graphiql[1]);
      const parsed = line.startsWith('{') ? logLineModel.safeParse(JSON.parse(line)) : null;
      if (parsed?.success && parsed.data.msg.startsWith('no VIPPS_BASE_URL') && parsed.data.url) emulatorUrl = parsed.data.url;
    });
    createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    child.once('exit', (code) => reject(new Error(`the entry exited (${code}) before listening:\n${lines.join('\n')}`)));
  });
  const gatewayUrl = await started;
  return { child, lines, gatewayUrl, emulatorUrl };
}

describe('SIGTERM', () => {
  let entry: Entry | undefined;

  it.afterAll(() => {
    if (entry?.child.exitCode === null) entry.child.kill('SIGKILL');
  });

  it('drains the request in flight, then closes pools and Redis and exits 0', async ({ redis }) => {
    entry = await startEntry({ REDIS_URL: redis.url });
    const { child, lines, gatewayUrl, emulatorUrl } = entry;
    expect(emulatorUrl).not.toBe('');
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
    const messages = lines.flatMap((line) => {
      const parsed = line.startsWith('{') ? logLineModel.safeParse(JSON.parse(line)) : null;
      return parsed?.success ? [parsed.data.msg] : [];
    });
    expect(messages).toContain('stopping: draining open requests');
    expect(messages.at(-1)).toBe('stopped');
  });
});

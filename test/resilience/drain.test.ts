import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { calls, emulatorNow } from '../sources/emulator.ts';
import { startRedis, type TestRedis } from '../support/redis.ts';
import { dayDocument } from './workload.ts';

/**
 * The real entry (`src/main.ts` through tsx) as a child process, with its embedded emulator and a
 * real Redis: SIGTERM while a request is in flight lets that request finish, then the process
 * closes its pools and Redis and exits 0.
 */

const logLineModel = z.object({ msg: z.string(), url: z.string().optional() }).loose();
const statsModel = z.object({ routes: z.record(z.string(), z.number()) });
const answerModel = z.object({ data: z.unknown(), errors: z.array(z.unknown()).optional() });
const credentialsModel = z.object({ partners: z.array(z.object({ ledgerIds: z.array(z.string()) }).loose()) });

interface Entry {
  child: ChildProcess;
  lines: string[];
  gatewayUrl: string;
  emulatorUrl: string;
}

async function startEntry(env: Record<string, string>): Promise<Entry> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', EMULATOR_NOW: emulatorNow, LOG_LEVEL: 'info', ...env },
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
  let redis: TestRedis;
  let entry: Entry | undefined;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    if (entry?.child.exitCode === null) entry.child.kill('SIGKILL');
    await redis.stop();
  });

  it('drains the request in flight, then closes pools and Redis and exits 0', async () => {
    entry = await startEntry({ REDIS_URL: redis.url });
    const { child, lines, gatewayUrl, emulatorUrl } = entry;
    expect(emulatorUrl).not.toBe('');
    const admin = (path: string, init?: RequestInit) => fetch(`${emulatorUrl}/__emulator/${path}`, init);
    const { partners } = credentialsModel.parse(await (await admin('credentials')).json());
    const ledgerId = partners[0]?.ledgerIds[0];
    if (ledgerId === undefined) throw new Error('the demo partner has no ledger');
    // Sales dates answer after 1.5 s: long enough to send SIGTERM while one is in flight.
    await admin('faults', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ routes: { [calls.salesDate]: { latencyMs: 1_500 } } }) });

    const inFlight = fetch(`${gatewayUrl}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: dayDocument, variables: { id: ledgerId, date: '2026-05-18' } }),
    });
    await vi.waitFor(async () => expect(statsModel.parse(await (await admin('stats')).json()).routes[calls.salesDate]).toBe(1), { timeout: 5_000, interval: 50 });
    const exited = once(child, 'exit');
    child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(200);
    const answer = answerModel.parse(await response.json());
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

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

/**
 * `npm start` as an operator runs it: npm, then the compiled gateway (built by
 * scripts/start.mjs when dist/ is missing or stale) with its embedded emulator. It answers, and
 * SIGTERM sent to npm reaches the gateway, which finishes the request in flight and exits 0.
 */

const salesDateRoute = 'GET /sales/report/v1/ledgers/{ledgerId}/dates/{ledgerDate}';
const emulatorNow = '2026-05-20T12:00:00Z';

const logLineModel = z.object({ msg: z.string(), url: z.string().optional() }).loose();
const statsModel = z.object({ routes: z.record(z.string(), z.number()) });
const ledgersAnswerModel = z.object({
  data: z.object({ ledgers: z.object({ edges: z.array(z.object({ node: z.object({ ledgerId: z.string() }) })).min(1) }) }),
});
const salesAnswerModel = z.object({
  data: z.object({ ledger: z.object({ __typename: z.literal('Ledger'), sales: z.object({ totalCount: z.number() }) }) }),
});

interface Started {
  npm: ChildProcess;
  lines: string[];
  graphqlUrl: string;
  emulatorUrl: string;
  adminToken: string;
}

function messages(lines: string[]): string[] {
  return lines.flatMap((line) => {
    const parsed = line.startsWith('{') ? logLineModel.safeParse(JSON.parse(line)) : null;
    return parsed?.success ? [parsed.data.msg] : [];
  });
}

async function npmStart(): Promise<Started> {
  const npm = spawn('npm', ['start'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', EMULATOR_NOW: emulatorNow },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: npm.stderr! }).on('line', (line) => lines.push(line));
  const graphqlUrl = await new Promise<string>((resolve, reject) => {
    createInterface({ input: npm.stdout! }).on('line', (line) => {
      lines.push(line);
      const listening = /^GraphiQL: (\S+)$/.exec(line);
      if (listening?.[1]) resolve(listening[1]);
    });
    npm.once('exit', (code) => reject(new Error(`npm start exited (${code}) before listening:\n${lines.join('\n')}`)));
  });
  const emulatorUrl = lines
    .flatMap((line) => (line.startsWith('{') ? [logLineModel.safeParse(JSON.parse(line))] : []))
    .find((parsed) => parsed.success && parsed.data.msg.startsWith('no VIPPS_BASE_URL'))?.data?.url;
  if (emulatorUrl === undefined) throw new Error(`no embedded emulator in the log:\n${lines.join('\n')}`);
  const adminToken = lines.map((line) => /^Emulator admin: \S+ with Authorization: Bearer (\S+)$/.exec(line)?.[1]).find((token) => token !== undefined);
  if (adminToken === undefined) throw new Error(`no emulator admin token printed:\n${lines.join('\n')}`);
  return { npm, lines, graphqlUrl, emulatorUrl, adminToken };
}

const post = (url: string, query: string, variables: Record<string, unknown> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });

describe('npm start (compiled)', () => {
  let started: Started;

  // A first start compiles dist/ (tens of seconds on two busy cores): the hook's time, not a test's.
  beforeAll(async () => {
    started = await npmStart();
  }, 180_000);
  afterAll(() => {
    if (started?.npm.exitCode === null) started.npm.kill('SIGKILL');
  });

  it('answers, then drains the request in flight on SIGTERM to npm and exits 0', async () => {
    const { npm, lines, graphqlUrl, emulatorUrl, adminToken } = started;
    const ledgers = ledgersAnswerModel.parse(await (await post(graphqlUrl, '{ ledgers(first: 1) { edges { node { ledgerId } } } }')).json());
    const ledgerId = ledgers.data.ledgers.edges[0]!.node.ledgerId;

    // The embedded emulator's admin routes answer only the token printed at start, and it is in no log line.
    expect((await fetch(`${emulatorUrl}/__emulator/credentials`)).status).toBe(401);
    expect(lines.filter((line) => line.startsWith('{') && line.includes(adminToken))).toEqual([]);
    const admin = (path: string, init: RequestInit = {}) =>
      fetch(`${emulatorUrl}/__emulator/${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${adminToken}` } });
    // Sales dates answer after 1.5 s: long enough to send SIGTERM while one is in flight.
    await admin('faults', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ routes: { [salesDateRoute]: { latencyMs: 1_500 } } }),
    });
    const slow = post(graphqlUrl, 'query ($id: String!) { ledger(id: $id) { __typename ... on Ledger { sales(date: "2026-05-18", first: 1) { totalCount } } } }', {
      id: ledgerId,
    });
    await vi.waitFor(async () => expect(statsModel.parse(await (await admin('stats')).json()).routes[salesDateRoute]).toBe(1), {
      timeout: 5_000,
      interval: 50,
    });
    const exited = once(npm, 'exit');
    npm.kill('SIGTERM');

    const response = await slow;
    expect(response.status).toBe(200);
    expect(salesAnswerModel.parse(await response.json()).data.ledger.sales.totalCount).toBeGreaterThan(0);
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // The gateway itself stopped (an orphan would never log it) and nothing listens any more.
    expect(messages(lines)).toContain('stopping: draining open requests');
    expect(messages(lines).at(-1)).toBe('stopped');
    await expect(fetch(graphqlUrl.replace('/graphql', '/health'))).rejects.toThrow();
  });
});

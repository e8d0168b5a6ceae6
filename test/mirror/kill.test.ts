import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { feeds } from '../../src/sync/keys.ts';
import { eventually } from '../cache/eventually.ts';
import { today } from '../support/clock.ts';
import { it } from '../support/harness.ts';
import { calls, routes } from '../support/routes.ts';
import { expectMirrorExact, firstLedgerDates, mirrorRig, type MirrorRig } from './support.ts';

/**
 * `npm run sync` killed with SIGKILL in the middle of its work, again and again, then run to the
 * end: the mirror equals a full walk of the date endpoints, and each restart went on from where
 * the last one stopped instead of starting over.
 */

const repository = fileURLToPath(new URL('../../', import.meta.url));
const ledgerIds = ['850842', '484751']; // mPOS with cash sales; monthly settlement with gross fees
const pageSize = 50;

it.override('emulatorOptions', { reportPageSize: pageSize });

interface Run {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

describe('a sync killed with SIGKILL', () => {
  let rig: MirrorRig;
  /** `npm run sync` against the file's emulator and Redis, as the demo partner. */
  let syncEnv: Record<string, string>;
  const running: ChildProcess[] = [];

  const startSync = (): Run => {
    const env = {
      PATH: process.env.PATH ?? '',
      ...syncEnv,
      SYNC_LEDGERS: ledgerIds.join(','),
      SYNC_SALES_PAGE_SIZE: String(pageSize),
      SYNC_CONCURRENCY: '2',
      LOG_LEVEL: 'warn',
    };
    // node itself, not npx: the signal must reach the process that does the work.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/sync/main.ts', '--once'], { cwd: repository, env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    return { child, exited, output: () => output };
  };

  const stored = async (): Promise<number> => {
    let total = 0;
    for (const ledgerId of ledgerIds) {
      for (const feed of feeds) total += (await rig.store.readState(rig.store.keys(rig.upstream.fingerprint, ledgerId, feed))).state.position;
    }
    return total;
  };

  it.beforeAll(async ({ emulator, admin, redis, direct }) => {
    rig = await mirrorRig(redis.url, direct);
    const { partner } = emulator;
    syncEnv = { REDIS_URL: redis.url, VIPPS_BASE_URL: emulator.url, VIPPS_CLIENT_ID: partner.clientId, VIPPS_CLIENT_SECRET: partner.clientSecret };
    // Slow enough that a run lasts seconds and a kill lands while pages are on their way.
    await admin.setFaults({ routes: { [routes.reportFeed]: { latencyMs: 25 }, [routes.salesFeed]: { latencyMs: 25 } } });
  });
  it.afterAll(async () => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rig.close();
  });

  it('loses no entry and stores none twice when started again', async ({ emulator, admin, direct }) => {
    await admin.resetStats();
    const pauses = [0, 37, 83];
    for (const pause of pauses) {
      const before = await stored();
      const run = startSync();
      await eventually(async () => {
        if (run.child.exitCode !== null) throw new Error(`the sync ended before it was killed:\n${run.output()}`);
        return (await stored()) >= before + 20 * pageSize;
      }, 20_000, 'the sync to store pages');
      await sleep(pause);
      run.child.kill('SIGKILL');
      const { signal } = await run.exited;
      // Still at work when killed: it was not allowed to finish.
      expect(signal, run.output()).toBe('SIGKILL');
    }

    const last = startSync();
    const { code } = await last.exited;
    expect(code, last.output()).toBe(0);

    const firstDates = await firstLedgerDates(emulator);
    for (const ledgerId of ledgerIds) {
      await expectMirrorExact(rig.store, direct, ledgerId, firstDates.get(ledgerId) ?? '', today);
      for (const feed of feeds) expect((await rig.store.readState(rig.store.keys(direct.fingerprint, ledgerId, feed))).state.atEnd).toBe(true);
    }

    // Each restart went on from its stored cursor: the whole work is one walk of every feed,
    // plus at most the page in flight and the one read ahead per feed and kill.
    const feedCalls = (await calls(admin, routes.reportFeed)) + (await calls(admin, routes.salesFeed));
    const oneWalk = Math.ceil((await stored()) / pageSize) + ledgerIds.length * feeds.length * 2;
    expect(feedCalls).toBeLessThanOrEqual(oneWalk + pauses.length * ledgerIds.length * feeds.length * 2);
    // Four runs over whole histories (those older than the Sales API included) in pages of 50, each page 25 ms late.
  }, 120_000);
});

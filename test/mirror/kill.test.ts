import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Upstream } from '../../src/sources/index.ts';
import { feeds } from '../../src/sync/keys.ts';
import { eventually } from '../cache/eventually.ts';
import { calls, emulatorNow, startHarness, type EmulatorHarness } from '../sources/emulator.ts';
import { useRedis } from '../support/redis.ts';
import { directUpstream, expectMirrorExact, firstLedgerDates, mirrorRig, type MirrorRig } from './support.ts';

/**
 * `npm run sync` killed with SIGKILL in the middle of its work, again and again, then run to the
 * end: the mirror equals a full walk of the date endpoints, and each restart went on from where
 * the last one stopped instead of starting over.
 */

const repository = fileURLToPath(new URL('../../', import.meta.url));
const ledgerIds = ['850842', '484751']; // mPOS with cash sales; monthly settlement with gross fees
const pageSize = 50;

interface Run {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

describe('a sync killed with SIGKILL', () => {
  const redis = useRedis();
  let harness: EmulatorHarness;
  let rig: MirrorRig;
  let direct: Upstream;
  const running: ChildProcess[] = [];

  const startSync = (): Run => {
    const partner = harness.emulator.partners[0];
    if (partner === undefined) throw new Error('no demo partner');
    const env = {
      PATH: process.env.PATH ?? '',
      REDIS_URL: redis.url,
      VIPPS_BASE_URL: harness.emulator.url,
      VIPPS_CLIENT_ID: partner.clientId,
      VIPPS_CLIENT_SECRET: partner.clientSecret,
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
      for (const feed of feeds) total += (await rig.store.readState(rig.store.keys(direct.fingerprint, ledgerId, feed))).state.position;
    }
    return total;
  };

  beforeAll(async () => {
    harness = await startHarness({ reportPageSize: pageSize });
    rig = await mirrorRig(harness, redis.url);
    direct = directUpstream(harness);
    // Slow enough that a run lasts seconds and a kill lands while pages are on their way.
    await harness.faults({ routes: { [calls.reportFeed]: { latencyMs: 25 }, [calls.salesFeed]: { latencyMs: 25 } } });
  });
  afterAll(async () => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rig.close();
    await direct.close();
    await harness.close();
  });

  it('loses no entry and stores none twice when started again', async () => {
    await harness.resetStats();
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

    const firstDates = await firstLedgerDates(harness);
    for (const ledgerId of ledgerIds) {
      await expectMirrorExact(rig.store, direct, ledgerId, firstDates.get(ledgerId) ?? '', emulatorNow.slice(0, 10));
      for (const feed of feeds) expect((await rig.store.readState(rig.store.keys(direct.fingerprint, ledgerId, feed))).state.atEnd).toBe(true);
    }

    // Each restart went on from its stored cursor: the whole work is one walk of every feed,
    // plus at most the page in flight and the one read ahead per feed and kill.
    const feedCalls = (await harness.count(calls.reportFeed)) + (await harness.count(calls.salesFeed));
    const oneWalk = Math.ceil((await stored()) / pageSize) + ledgerIds.length * feeds.length * 2;
    expect(feedCalls).toBeLessThanOrEqual(oneWalk + pauses.length * ledgerIds.length * feeds.length * 2);
  });
});

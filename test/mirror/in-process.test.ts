import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { feeds } from '../../src/sync/keys.ts';
import { RedisConnection } from '../../src/sources/redis/connection.ts';
import { MirrorStore } from '../../src/sync/store.ts';
import { compose } from '../../src/compose.ts';
import { createMirror } from '../../src/sync/mirror.ts';
import { eventually } from '../cache/eventually.ts';
import { startHarness, type EmulatorHarness } from '../sources/emulator.ts';
import { useRedis } from '../support/redis.ts';
import { directUpstream, expectMirrorExact, firstLedgerDates } from './support.ts';

/** The sync inside the gateway's process (`SYNC_IN_PROCESS`), and what happens without Redis. */

const ledgerId = '663389'; // a small ledger: negative balances and aborted payouts

describe('the sync in the gateway process', () => {
  const redis = useRedis();
  let harness: EmulatorHarness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  it('keeps the mirror up to date on its interval, and stops with the gateway', async () => {
    const config = loadConfig({ REDIS_URL: redis.url, SYNC_IN_PROCESS: 'true', SYNC_INTERVAL_SECONDS: '1', SYNC_LEDGERS: ledgerId });
    const upstream = harness.upstream();
    const direct = directUpstream(harness);
    const connection = new RedisConnection({ url: redis.url, logger: silentLogger, commandTimeoutMs: 1_000 });
    expect(await connection.waitUntilReady(5_000)).toBe(true);
    const mirror = createMirror(config, connection, silentLogger);
    const store = new MirrorStore(connection);
    try {
      expect(mirror.startInProcessSync(upstream)).not.toBeNull();
      await eventually(
        async () => {
          const states = await Promise.all(feeds.map((feed) => store.readState(store.keys(upstream.fingerprint, ledgerId, feed))));
          return states.every((stored) => stored.state.atEnd);
        },
        20_000,
        'every feed of the ledger to be mirrored',
      );
      await mirror.close();
      const firstDate = (await firstLedgerDates(harness)).get(ledgerId) ?? '';
      await expectMirrorExact(store, direct, ledgerId, firstDate, '2026-05-20');
    } finally {
      await mirror.close();
      await connection.close();
      await direct.close();
    }
  });

  it('is off without Redis, and says so when it was asked for', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
    const asked = await compose(loadConfig({ SYNC_IN_PROCESS: 'true' }), { logger });
    await asked.close();
    expect(asked.mirror).toBeNull();
    expect(warnings).toEqual(['SYNC_IN_PROCESS needs REDIS_URL: the feed mirror is off']);
    const unasked = await compose(loadConfig({}), { logger });
    await unasked.close();
    expect(unasked.mirror).toBeNull();
    expect(warnings).toHaveLength(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { feeds } from '../../src/sync/keys.ts';
import { MirrorRedis } from '../../src/sources/redis/connection.ts';
import { MirrorStore } from '../../src/sync/store.ts';
import { createGatewayMirror } from '../../src/sync/wiring.ts';
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
    const mirror = createGatewayMirror(config, silentLogger);
    if (mirror === null) throw new Error('a mirror is expected with REDIS_URL');
    const upstream = harness.upstream();
    const direct = directUpstream(harness);
    const connection = new MirrorRedis({ url: redis.url, logger: silentLogger, readTimeoutMs: 1_000 });
    expect(await connection.waitUntilReady(5_000)).toBe(true);
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

  it('is off without Redis, and says so when it was asked for', () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
    expect(createGatewayMirror(loadConfig({ SYNC_IN_PROCESS: 'true' }), logger)).toBeNull();
    expect(warnings).toEqual(['SYNC_IN_PROCESS needs REDIS_URL: the feed mirror is off']);
    expect(createGatewayMirror(loadConfig({}), logger)).toBeNull();
    expect(warnings).toHaveLength(1);
  });
});

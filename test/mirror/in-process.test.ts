import { describe, expect } from 'vitest';
import { compose } from '../../src/compose.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { feeds } from '../../src/sync/keys.ts';
import { eventually } from '../cache/eventually.ts';
import { today } from '../support/clock.ts';
import { it } from '../support/harness.ts';
import { expectMirrorExact, firstLedgerDates } from './support.ts';

/** The sync inside the gateway's process (`SYNC_IN_PROCESS`), and what happens without Redis. */

const ledgerId = '663389'; // a small ledger: negative balances and aborted payouts

describe('the sync in the gateway process', () => {
  it('keeps the mirror up to date on its interval, and stops with the gateway', async ({ emulator, redis, direct, openGateway }) => {
    // Composed as `npm start` composes it, which starts the sync when the configuration asks.
    const { runtime } = await openGateway({ redis, env: { SYNC_IN_PROCESS: 'true', SYNC_INTERVAL_SECONDS: '1', SYNC_LEDGERS: ledgerId } });
    const { mirror, upstream } = runtime;
    if (mirror === null) throw new Error('a gateway with Redis has a feed mirror');
    expect(mirror.startInProcessSync(upstream)).not.toBeNull();
    await eventually(
      async () => {
        const states = await Promise.all(feeds.map((feed) => mirror.store.readState(mirror.store.keys(upstream.fingerprint, ledgerId, feed))));
        return states.every((stored) => stored.state.atEnd);
      },
      20_000,
      'every feed of the ledger to be mirrored',
    );
    await mirror.close();
    const firstDate = (await firstLedgerDates(emulator)).get(ledgerId) ?? '';
    await expectMirrorExact(mirror.store, direct, ledgerId, firstDate, today);
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

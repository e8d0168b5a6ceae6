import { createClient } from 'redis';
import { describe, expect } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { credentialFingerprint } from '../../src/sources/cache/keys.ts';
import { salesEntryModel } from '../../src/sources/sales/models.ts';
import { feedKeys } from '../../src/sync/keys.ts';
import { MirrorReader } from '../../src/sync/reader.ts';
import { RedisConnection } from '../../src/sources/redis/connection.ts';
import { advance, initialFeedState, type FeedPage, type MirroredEntry } from '../../src/sync/state.ts';
import { followFeed } from '../../src/sync/follow.ts';
import { MirrorStore } from '../../src/sync/store.ts';
import { it } from '../support/harness.ts';

/** The mirror in a real Redis: one atomic step per page, indexes that never double, grants, and reads that never fail a query. */

const fp = credentialFingerprint({ baseUrl: 'http://upstream.test', clientId: 'partner', clientSecret: 'secret' });

const reportEntry = (ledgerDate: string, pspReference: string, reference = `order-${pspReference}`): MirroredEntry => ({
  json: JSON.stringify({ pspReference, ledgerDate, reference }),
  ledgerDate,
  pspReference,
  reference,
});

const sale = (pspReference: string): MirroredEntry => {
  const entry = salesEntryModel.parse({ entryType: 'capture', time: '2026-05-04T10:12:31Z', pspReference, reference: `r-${pspReference}`, currency: 'NOK' });
  return { json: JSON.stringify(entry), ledgerDate: null, pspReference, reference: entry.reference };
};

const page = (cursor: string, atEnd: boolean, ...entries: MirroredEntry[]): FeedPage => ({ cursor, atEnd, entries });

describe('the mirror store', () => {
  let connection: RedisConnection;
  let store: MirrorStore;
  let reader: MirrorReader;

  it.beforeAll(async ({ redis }) => {
    connection = new RedisConnection({ url: redis.url, logger: silentLogger, commandTimeoutMs: 1_000 });
    expect(await connection.waitUntilReady(5_000)).toBe(true);
    store = new MirrorStore(connection);
    reader = new MirrorReader(connection, fp);
  });
  it.afterAll(async () => {
    await connection.close();
  });

  it('stores a page with its cursor only while the state is the one the page was read from', async () => {
    const keys = feedKeys(fp, 'L1', 'fees');
    const first = advance(initialFeedState, page('c1', false, reportEntry('2026-05-01', 'p1'), reportEntry('2026-05-01', 'p2')), 1);
    const stored = await store.storePage(keys, '', first);
    expect(stored?.state).toEqual(first.state);
    // The same page again (a restart that read it twice, a second process): nothing is stored.
    expect(await store.storePage(keys, '', first)).toBeNull();
    const next = advance(first.state, page('c2', true, reportEntry('2026-05-01', 'p2'), reportEntry('2026-05-03', 'p3')), 2);
    expect(await store.storePage(keys, stored?.raw ?? '', next)).not.toBeNull();
    expect(await store.storePage(keys, stored?.raw ?? '', next)).toBeNull();

    expect((await store.readState(keys)).state).toEqual(next.state);
    expect(await store.feedEntries(fp, 'L1', 'fees')).toHaveLength(4);
    expect(await store.dateEntries(fp, 'L1', 'fees', '2026-05-01')).toHaveLength(3);
    expect(await store.dateEntries(fp, 'L1', 'fees', '2026-05-03')).toHaveLength(1);
    // A fee and a late second fee of one capture: both dates, each once.
    const located = await reader.locate('L1', 'fees', ['p2', 'p3', 'unknown']);
    expect(located?.get('p2')).toEqual({ dates: ['2026-05-01'], horizon: '2026-05-03' });
    expect(located?.get('p3')).toEqual({ dates: ['2026-05-03'], horizon: '2026-05-03' });
    expect(located?.get('unknown')).toEqual({ dates: [], horizon: '2026-05-03' });
    // Indexed by ledger date, each date once however many entries it has there.
    expect(await connection.client.hGet(keys.byPspReference, 'p2')).toBe('2026-05-01');
    expect(await connection.client.hGet(keys.byPspReference, 'p3')).toBe('2026-05-03');
  });

  it('overwrites an entry stored under its position again with itself, never indexing it twice', async () => {
    const keys = feedKeys(fp, 'L2', 'funds');
    const step = advance(initialFeedState, page('c1', true, reportEntry('2026-05-01', 'p1')), 1);
    await store.storePage(keys, '', step);
    // A state reset by hand with the entries left: the page comes again at the same positions.
    await connection.client.del(keys.state);
    await store.storePage(keys, '', step);
    expect(await connection.client.hGet(keys.byPspReference, 'p1')).toBe('2026-05-01');
    expect(await connection.client.hGet(keys.dates, '2026-05-01')).toBe('0');
    expect(await store.feedEntries(fp, 'L2', 'funds')).toHaveLength(1);
  });

  it('reads nothing of a feed mirrored in an older layout, and mirrors it again from its start', async ({ redis }) => {
    const keys = feedKeys(fp, 'L3', 'funds');
    const plain = createClient({ url: redis.url });
    await plain.connect();
    // The layout before chunks: no format in the state, an entry per position, tokens with positions.
    await connection.client.set(keys.state, JSON.stringify({ cursor: 'old', position: 1, lastDate: '2026-05-01', endReachedAt: 1, atEnd: true }));
    await plain.hSet(keys.entries, '0', reportEntry('2026-05-01', 'p1').json);
    await plain.hSet(keys.byPspReference, 'p1', '0@2026-05-01');
    plain.destroy();
    expect(await reader.locate('L3', 'funds', ['p1'])).toBeNull();

    const cursors: Array<string | null> = [];
    let outdated = 0;
    const result = await followFeed({
      store,
      keys,
      source: { read: async (cursor) => (cursors.push(cursor), page('c1', true, reportEntry('2026-05-02', 'p9'))) },
      clock: () => 1,
      minPollIntervalMs: 60_000,
      retry: { attempts: 1, firstDelayMs: 1, maxDelayMs: 1 },
      onOutdated: () => (outdated += 1),
    });
    expect(result).toEqual({ outcome: 'caught-up', pages: 1, entries: 1 });
    expect(cursors).toEqual([null]);
    expect(outdated).toBe(1);
    expect(await store.feedEntries(fp, 'L3', 'funds')).toEqual([reportEntry('2026-05-02', 'p9').json]);
    expect(await connection.client.hGet(keys.byPspReference, 'p1')).toBeNull();
    expect((await reader.locate('L3', 'funds', ['p9']))?.get('p9')).toEqual({ dates: ['2026-05-02'], horizon: '2026-05-02' });
  });

  it('says nothing about a ledger it does not mirror', async () => {
    expect(await reader.locate('not-mirrored', 'funds', ['p1'])).toBeNull();
    expect(await reader.salesByPspReference('not-mirrored', ['p1'])).toBeNull();
  });

  it('serves mirrored sales only for ledgers granted at the last sync, and forgets withdrawn ones', async () => {
    const keys = feedKeys(fp, 'S1', 'sales');
    await store.storePage(keys, '', advance(initialFeedState, page('c1', true, sale('s1'), sale('s2')), 1));
    expect(await reader.salesByPspReference('S1', ['s2'])).toBeNull();

    expect(await store.recordGrants(fp, ['S1', 'L1'])).toEqual([]);
    const found = await reader.salesByPspReference('S1', ['s2', 'missing']);
    expect(found?.get('s2')?.reference).toBe('r-s2');
    expect(found?.has('missing')).toBe(false);

    expect(await store.recordGrants(fp, ['L1'])).toEqual(['S1']);
    expect(await reader.salesByPspReference('S1', ['s2'])).toBeNull();
    expect(await connection.client.exists([keys.state, keys.entries, keys.byPspReference])).toBe(0);
    expect(await reader.locate('L1', 'fees', ['p1'])).not.toBeNull();
  });

  it('answers "ask upstream" while Redis is gone, and answers again once it is back', async ({ redis }) => {
    await redis.kill('SIGKILL');
    expect(await reader.locate('L1', 'fees', ['p1'])).toBeNull();
    expect(await reader.salesByPspReference('S1', ['s1'])).toBeNull();
    await redis.restart();
    expect(await connection.waitUntilReady(10_000)).toBe(true);
    // A new, empty Redis: the ledger is not mirrored there.
    expect(await reader.locate('L1', 'fees', ['p1'])).toBeNull();
  });
});

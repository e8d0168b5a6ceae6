import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { issuesOf } from '../support/config-issues.ts';

/** The cache and sync settings of `src/config.ts`. */


describe('cache and sync settings', () => {
  it('keep open dates 30 s, the ledger list a minute, and run no sync in the gateway unless asked', () => {
    const config = loadConfig({});
    expect(config.cache).toEqual({ openDateTtlSeconds: 30, ledgersTtlSeconds: 60, localEntries: 100_000 });
    expect(config.sync).toEqual({ inProcess: false, intervalSeconds: 60, ledgerIds: null, concurrency: 3, salesPageSize: 1000, progress: 'auto' });
  });

  it('read every variable', () => {
    const config = loadConfig({
      CACHE_OPEN_DATE_TTL_SECONDS: '5',
      CACHE_LEDGERS_TTL_SECONDS: '0',
      CACHE_LOCAL_ENTRIES: '0',
      SYNC_IN_PROCESS: 'true',
      SYNC_INTERVAL_SECONDS: '300',
      SYNC_LEDGERS: ' 123, 456 ,,',
      SYNC_CONCURRENCY: '6',
      SYNC_SALES_PAGE_SIZE: '250',
      SYNC_PROGRESS: 'lines',
    });
    expect(config.cache).toEqual({ openDateTtlSeconds: 5, ledgersTtlSeconds: 0, localEntries: 0 });
    expect(config.sync).toEqual({ inProcess: true, intervalSeconds: 300, ledgerIds: ['123', '456'], concurrency: 6, salesPageSize: 250, progress: 'lines' });
  });

  it('name each bad value', () => {
    expect(
      issuesOf({
        CACHE_OPEN_DATE_TTL_SECONDS: 'soon',
        SYNC_IN_PROCESS: 'yes',
        SYNC_INTERVAL_SECONDS: '0',
        SYNC_CONCURRENCY: '0',
        SYNC_SALES_PAGE_SIZE: '1001',
      }),
    ).toEqual([
      'CACHE_OPEN_DATE_TTL_SECONDS: must be a whole number',
      'SYNC_IN_PROCESS: must be true or false',
      'SYNC_INTERVAL_SECONDS: must be at least 1',
      'SYNC_CONCURRENCY: must be at least 1',
      'SYNC_SALES_PAGE_SIZE: must be at most 1000',
    ]);
  });
});

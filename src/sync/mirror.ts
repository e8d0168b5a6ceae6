import type { Config } from '../config.ts';
import { livePublisher } from '../live/publisher.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../logger.ts';
import type { CredentialFingerprint } from '../sources/cache/keys.ts';
import type { Upstream } from '../sources/index.ts';
import type { RedisConnection } from '../sources/redis/connection.ts';
import { MirrorReader } from './reader.ts';
import { MirrorStore } from './store.ts';
import { startSyncLoop, type SyncLoop, type SyncOptions } from './syncer.ts';

/**
 * The feed mirror on the shared Redis connection: a reader for the joins, the store the sync
 * writes to, and, when `SYNC_IN_PROCESS` is on, the sync running in the gateway's own process.
 * Without Redis there is no mirror: the memory cache cannot be shared with a sync process, and
 * the joins use the date endpoints.
 */
export interface Mirror {
  reader(fingerprint: CredentialFingerprint): MirrorReader;
  store: MirrorStore;
  /** Starts the sync loop for this upstream when `SYNC_IN_PROCESS` is on; `null` otherwise. */
  startInProcessSync(upstream: Upstream): SyncLoop | null;
  /** Stops the in-process sync; the connection belongs to whoever opened it. */
  close(): Promise<void>;
}

export function syncOptions(config: Config, upstream: Upstream, store: MirrorStore, logger: Logger, live: LiveHub | null = null): SyncOptions {
  return {
    ...(live === null ? {} : { onStored: livePublisher(live, store, upstream.fingerprint, logger) }),
    upstream,
    store,
    logger,
    ledgerIds: config.sync.ledgerIds,
    concurrency: config.sync.concurrency,
    salesPageSize: config.sync.salesPageSize,
    minPollIntervalMs: config.sync.intervalSeconds * 1000,
  };
}

export function createMirror(config: Config, redis: RedisConnection, logger: Logger, live: LiveHub | null = null): Mirror {
  const store = new MirrorStore(redis);
  let loop: SyncLoop | null = null;
  return {
    reader: (fingerprint) => new MirrorReader(redis, fingerprint, logger),
    store,
    startInProcessSync(upstream) {
      if (!config.sync.inProcess) return null;
      loop = startSyncLoop(syncOptions(config, upstream, store, logger, live), config.sync.intervalSeconds * 1000);
      logger.info('feed mirror sync running in this process', { everySeconds: config.sync.intervalSeconds });
      return loop;
    },
    async close() {
      await loop?.stop();
    },
  };
}

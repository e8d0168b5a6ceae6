import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { CredentialFingerprint } from '../sources/cache/keys.ts';
import type { Upstream } from '../sources/index.ts';
import { MirrorReader } from './reader.ts';
import { MirrorRedis } from '../sources/redis/connection.ts';
import { MirrorStore } from './store.ts';
import { startSyncLoop, type SyncLoop, type SyncOptions } from './syncer.ts';

/**
 * The feed mirror as a gateway process uses it: a reader for the joins and, when configured,
 * the sync running in the same process. Without Redis there is no mirror (`null`): the memory
 * cache cannot be shared with a sync process, and the joins use the date endpoints.
 */
export interface GatewayMirror {
  reader(fingerprint: CredentialFingerprint): MirrorReader;
  /** Starts the sync loop for this upstream when `SYNC_IN_PROCESS` is on; `null` otherwise. */
  startInProcessSync(upstream: Upstream): SyncLoop | null;
  close(): Promise<void>;
}

export function syncOptions(config: Config, upstream: Upstream, store: MirrorStore, logger: Logger): SyncOptions {
  return {
    upstream,
    store,
    logger,
    ledgerIds: config.sync.ledgerIds,
    concurrency: config.sync.concurrency,
    salesPageSize: config.sync.salesPageSize,
    minPollIntervalMs: config.sync.intervalSeconds * 1000,
  };
}

export function createGatewayMirror(config: Config, logger: Logger): GatewayMirror | null {
  if (config.redis === null) {
    if (config.sync.inProcess) logger.warn('SYNC_IN_PROCESS needs REDIS_URL: the feed mirror is off');
    return null;
  }
  const redis = new MirrorRedis({ url: config.redis.url, logger, readTimeoutMs: config.redis.commandTimeoutMs });
  let loop: SyncLoop | null = null;
  return {
    reader: (fingerprint) => new MirrorReader(redis, fingerprint, logger),
    startInProcessSync(upstream) {
      if (!config.sync.inProcess) return null;
      loop = startSyncLoop(syncOptions(config, upstream, new MirrorStore(redis), logger), config.sync.intervalSeconds * 1000);
      logger.info('feed mirror sync running in this process', { everySeconds: config.sync.intervalSeconds });
      return loop;
    },
    async close() {
      await loop?.stop();
      await redis.close();
    },
  };
}

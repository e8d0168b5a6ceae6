import type { Config } from './config.ts';
import type { RunningEmulator } from './emulator/index.ts';
import { LiveHub } from './live/hub.ts';
import { createLogger, type Logger } from './logger.ts';
import { createCache, type Cache } from './sources/cache/index.ts';
import { defaultResilience } from './sources/http/http.ts';
import { createUpstream, type Upstream, type UpstreamHttpOptions } from './sources/index.ts';
import type { RedisConnection } from './sources/redis/connection.ts';
import type { Mirror } from './sync/mirror.ts';
import { readTrustedDocuments } from './server/trusted-documents.ts';
import { createTelemetry, type Telemetry, type TelemetryOptions } from './telemetry/index.ts';
import { TenantDirectory } from './tenancy/directory.ts';

/**
 * The composition root: configuration → logger, the Redis connection, cache, upstream (with the
 * resilience layer) and feed mirror. `npm start`, `npm run sync`, the benchmarks and the test
 * harness build their parts here, so the wirings cannot drift apart.
 *
 * What only a setting turns on is imported when it is on: node-redis with the feed mirror (about
 * 11 MiB resident), the embedded emulator, the tracing SDK (`telemetry/`). A gateway that uses
 * none of them does not carry their code.
 */
export interface Runtime {
  config: Config;
  logger: Logger;
  /** The one Redis connection (cache, shared token, mirror); null without `REDIS_URL`. */
  redis: RedisConnection | null;
  cache: Cache;
  /** The upstream of the default accounting key set. */
  upstream: Upstream;
  /** Every accounting key set by name, `default` included: tenants draw on one each. */
  keySets: ReadonlyMap<string, Upstream>;
  /** The tenants in `tenants` mode; null in open mode. */
  tenants: TenantDirectory | null;
  /** Trusted documents by hash, from the `TRUSTED_DOCUMENTS` manifests. */
  trustedDocuments: ReadonlyMap<string, string>;
  /** Null without Redis. */
  mirror: Mirror | null;
  /** Live updates: published by whichever process stores a feed page, heard by every replica. */
  live: LiveHub;
  /** The emulator started in this process when no upstream is configured. */
  emulator: RunningEmulator | null;
  /** Metrics and traces, each null when off. */
  telemetry: Telemetry;
  /** Stops what was started, in reverse order; the in-process sync first. */
  close(): Promise<void>;
}

export interface ComposeOptions extends TelemetryOptions {
  /** Logs somewhere else than stdout at the configured level (tests). */
  logger?: Logger;
}

type Credentials = { clientId: string; clientSecret: string };

/** A key set's name from an emulator partner's name: `Nordisk Bogføring ApS` → `nordisk-bogforing-aps`. */
function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/ø/gi, 'o')
    .replace(/æ/gi, 'ae')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Where upstream is, and the accounting key sets to use there: the configured upstream with
 * `VIPPS_CLIENT_*` as `default` and any `VIPPS_KEY_SET_*`, or an emulator in this process with
 * its demo partners' keys (the first as `default`, each also by its name).
 */
async function upstreamEndpoint(config: Config, logger: Logger) {
  if (config.upstream !== null) {
    const { baseUrl, clientId, clientSecret, systemName, systemVersion } = config.upstream;
    const keySets = new Map<string, Credentials>([['default', { clientId, clientSecret }], ...Object.entries(config.keySets)]);
    return { baseUrl, systemName, systemVersion, keySets, emulator: null };
  }
  const { randomAdminToken, startEmulator } = await import('./emulator/index.ts');
  const emulator = await startEmulator({
    port: 0,
    seed: config.emulator.seed,
    ...(config.emulator.now === null ? {} : { now: config.emulator.now }),
    // Its admin routes hand out the partners' keys: never open, even on loopback.
    adminToken: config.emulator.adminToken ?? randomAdminToken(),
  });
  const demo = emulator.partners[0];
  if (demo === undefined) throw new Error('the emulator has no demo partner');
  logger.info('no VIPPS_BASE_URL: serving the embedded emulator', { url: emulator.url, partner: demo.name, seed: config.emulator.seed });
  const keySets = new Map<string, Credentials>([['default', demo], ...emulator.partners.map((partner) => [slug(partner.name), partner] as const)]);
  return { baseUrl: emulator.url, systemName: 'vmp-reporting-gateway', systemVersion: 'emulated', keySets, emulator };
}

function isLoopback(url: string): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);
}

export async function compose(config: Config, options: ComposeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const { emulator, keySets: credentials, ...endpoint } = await upstreamEndpoint(config, logger);
  // A bad tenants file stops the start, before anything listens.
  const tenants = config.auth.tenantsFile === null ? null : await TenantDirectory.load(config.auth.tenantsFile, new Set(credentials.keys()));
  const trustedDocuments = await readTrustedDocuments(config.auth.trustedDocuments);
  let redis: RedisConnection | null = null;
  if (config.redis !== null) {
    const { RedisConnection } = await import('./sources/redis/connection.ts');
    redis = new RedisConnection({ ...config.redis, logger });
  }
  if (config.production && config.redis !== null && !config.redis.url.startsWith('rediss://') && !isLoopback(config.redis.url)) {
    logger.warn('REDIS_URL is redis:// without TLS: cached ledger data and rate limits cross the network in the clear (use rediss://)');
  }
  const cache = await createCache({ redis, logger });
  const telemetry = await createTelemetry(config, options);
  const live = new LiveHub({ redis, logger, maxSubscriptionsPerTenant: config.live.maxSubscriptionsPerTenant });
  const mirror = redis === null ? null : (await import('./sync/mirror.ts')).createMirror(config, redis, logger, live);
  if (redis === null && config.sync.inProcess) logger.warn('SYNC_IN_PROCESS needs REDIS_URL: the feed mirror is off');

  // The sync runs on the same request path as the gateway: the HTTP layer's retries, breakers
  // and concurrency limit protect upstream from it too, and its own patient retries (sync/retry.ts)
  // wait out what lasts longer than one call's retries.
  const http = (keys: Credentials, keySet: string): UpstreamHttpOptions => ({
    ...endpoint,
    credentials: { clientId: keys.clientId, clientSecret: keys.clientSecret },
    logger,
    timeouts: { connectMs: config.limits.connectTimeoutMs, requestMs: config.limits.requestTimeoutMs },
    connections: config.limits.upstreamConnections,
    resilience: defaultResilience,
    observer: telemetry.upstream(keySet),
  });
  const cacheObserver = telemetry.cache(redis === null ? 'memory' : 'redis');
  // Each key set has its own token, cache entries and mirror: every key carries its fingerprint.
  const keySets = new Map(
    [...credentials].map(([name, keys]) => [name, createUpstream(http(keys, name), { cache, policy: config.cache, mirror: mirror?.reader ?? null, observer: cacheObserver })]),
  );
  const upstream = keySets.get('default');
  if (upstream === undefined) throw new Error('no default accounting key set');
  if (redis !== null) {
    const { readMirrorLag } = await import('./sync/lag.ts');
    telemetry.metrics?.watchRedis(redis.cluster ? 'cluster' : 'single', () => redis.isHealthy());
    // The mirror's lag is read from Redis at each scrape, whichever process runs the sync.
    const fingerprints = [...new Set([...keySets.values()].map((keySet) => keySet.fingerprint))];
    telemetry.metrics?.watchMirror(() => readMirrorLag(redis, fingerprints));
  }

  return {
    config,
    logger,
    redis,
    cache,
    upstream,
    keySets,
    tenants,
    trustedDocuments,
    mirror,
    live,
    emulator,
    telemetry,
    async close() {
      await mirror?.close();
      await live.close();
      for (const keySet of keySets.values()) await keySet.close();
      await cache.close();
      await redis?.close();
      await emulator?.close();
      await telemetry.close();
    },
  };
}

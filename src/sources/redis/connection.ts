import { createClient, createCluster, RESP_TYPES } from 'redis';
import type { Logger } from '../../logger.ts';
import { RedisHealth } from './health.ts';

/**
 * The gateway's one Redis connection, shared by the cache, the shared token and the feed mirror.
 * Its habits are what makes "Redis trouble is a cache miss, never a failed query" true:
 * - no offline queue: a command during an outage fails at once instead of piling up and then
 *   flooding a Redis that just came back;
 * - every command the gateway waits on (`command`) has a short timeout and a cap on replies
 *   outstanding, and answers `null` on any trouble;
 * - a capped, jittered reconnect, and few log lines however long an outage lasts.
 * The sync, which has no caller waiting and must not lose a page, uses `client` directly and
 * sees every failure.
 *
 * It is one Redis or a Redis Cluster (node-redis's cluster client, which follows MOVED and ASK
 * and reaches each key's master). Everything above speaks the commands both answer alike, and
 * every multi-key script names keys of one hash tag, so it runs on one node.
 */

export interface RedisConnectionOptions {
  url: string;
  /** A cluster's seed nodes (`url` when left out); any one that answers tells the rest. */
  nodes?: string[];
  /** Speak the cluster protocol: discover the nodes and send each key to its master. */
  cluster?: boolean;
  logger: Logger;
  /** Past this a command counts as failed (the caller gets `null`); a late reply is dropped. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Reconnect attempts back off exponentially up to this delay. */
  maxReconnectDelayMs?: number;
  /**
   * Commands sent and not answered yet. A Redis that hangs without closing the socket never
   * answers, so past this many the connection stops sending and answers every command `null`.
   */
  maxPendingCommands?: number;
}

const defaults = { commandTimeoutMs: 50, connectTimeoutMs: 1_000, maxReconnectDelayMs: 2_000, maxPendingCommands: 1_000 };
/** How long a graceful close may wait for replies before the socket is dropped. */
const closeWaitMs = 1_000;
/** How soon a cluster's slot map is read again once a node's connection is lost. */
const rediscoveryDelayMs = 1_000;

/**
 * Reconnect delays that double up to `maxDelayMs`; the jitter keeps many replicas from
 * reconnecting in lockstep after a Redis restart.
 */
export function jitteredReconnect(maxDelayMs: number): (retries: number) => number {
  return (retries) => Math.min(maxDelayMs, 50 * 2 ** retries) * (0.8 + Math.random() * 0.4);
}

function socketOptions(options: RedisConnectionOptions) {
  return {
    connectTimeout: options.connectTimeoutMs ?? defaults.connectTimeoutMs,
    reconnectStrategy: jitteredReconnect(options.maxReconnectDelayMs ?? defaults.maxReconnectDelayMs),
  };
}

// RESP2, as Redis itself defaults to: the reply shapes the gateway's commands were written
// against, and no Redis Enterprise maintenance handshake on every connect.
const protocol = 2 as const;

function createRedisClient(options: RedisConnectionOptions) {
  return createClient({ url: options.url, RESP: protocol, disableOfflineQueue: true, socket: socketOptions(options) });
}

function createRedisCluster(options: RedisConnectionOptions) {
  return createCluster({
    RESP: protocol,
    // A master that dies answers nothing (no MOVED): its slots stay pointed at it until the slot
    // map is read again, which node-redis does this long after a node starts reconnecting.
    topologyRefreshOnReconnectionAttemptStrategy: rediscoveryDelayMs,
    rootNodes: (options.nodes ?? [options.url]).map((url) => ({ url })),
    // Each node's client has the habits of the single one; the first URL's credentials and TLS apply to all.
    defaults: {
      ...credentialsOf(options.url),
      disableOfflineQueue: true,
      socket: new URL(options.url).protocol === 'rediss:' ? { ...socketOptions(options), tls: true as const } : socketOptions(options),
    },
  });
}

/** A URL's user and password, which the cluster's nodes (named by address only) need too. */
function credentialsOf(url: string): { username?: string; password?: string } {
  const parsed = new URL(url);
  const username = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  return { ...(username === '' ? {} : { username }), ...(password === '' ? {} : { password }) };
}

export type RedisClient = ReturnType<typeof createRedisClient>;
export type RedisCluster = ReturnType<typeof createRedisCluster>;

/** The commands the gateway and the sync send, which a single Redis and a cluster answer alike. */
export type RedisCommands = Pick<
  RedisClient,
  'get' | 'set' | 'del' | 'eval' | 'ping' | 'hGet' | 'hmGet' | 'hGetAll' | 'sIsMember' | 'sMembers' | 'sRem' | 'sAdd' | 'unlink' | 'exists' | 'pTTL'
>;

/** Replies as bytes rather than text: for values that are not UTF-8 (the mirror's deflated chunks). */
const asBytes = { [RESP_TYPES.BLOB_STRING]: Buffer } as const;
const bytesOf = (client: RedisClient) => client.withTypeMapping(asBytes);
export type ByteCommands = Pick<ReturnType<typeof bytesOf>, 'hGet' | 'hmGet' | 'hGetAll'>;

class CommandTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`redis command took longer than ${timeoutMs} ms`);
    this.name = 'CommandTimeoutError';
  }
}

export class RedisConnection {
  /** The commands, whether one Redis or a cluster answers them. */
  readonly client: RedisCommands;
  /** The same commands with every string reply as a Buffer. */
  readonly bytes: ByteCommands;
  /** The node-redis client itself, for libraries that take one (the rate limiter knows both kinds). */
  readonly raw: RedisClient | RedisCluster;
  readonly cluster: boolean;
  readonly health: RedisHealth;
  readonly commandTimeoutMs: number;
  readonly #maxPending: number;
  readonly #logger: Logger;
  readonly #single: RedisClient | null;
  #pending = 0;
  /** A cluster has no `isReady` of its own: ready once its nodes are discovered, until closed. */
  #clusterReady = false;
  readonly #readyWaiters = new Set<() => void>();

  constructor(options: RedisConnectionOptions) {
    this.commandTimeoutMs = options.commandTimeoutMs ?? defaults.commandTimeoutMs;
    this.#maxPending = options.maxPendingCommands ?? defaults.maxPendingCommands;
    this.#logger = options.logger;
    this.health = new RedisHealth(options.logger);
    this.cluster = options.cluster ?? false;
    const connected = () => {
      this.health.connected();
      for (const waiter of this.#readyWaiters) waiter();
    };
    if (this.cluster) {
      const cluster = createRedisCluster(options);
      this.#single = null;
      this.raw = cluster;
      this.client = cluster;
      this.bytes = cluster.withTypeMapping(asBytes);
      cluster.on('error', (error: unknown) => this.health.connectionFailed(error));
      cluster.on('node-error', (error: unknown) => this.health.connectionFailed(error));
      cluster.on('connect', () => {
        this.#clusterReady = true;
        connected();
      });
      cluster.on('disconnect', () => (this.#clusterReady = false));
      cluster.connect().catch((error: unknown) => this.health.connectionFailed(error));
    } else {
      const client = createRedisClient(options);
      this.#single = client;
      this.raw = client;
      this.client = client;
      this.bytes = bytesOf(client);
      // Without an 'error' listener a lost connection would crash the process.
      client.on('error', (error: unknown) => this.health.connectionFailed(error));
      client.on('ready', () => {
        connected();
        void this.#warnIfClusterNode(client);
      });
      // Resolves at the first connection; until then (and between reconnects) every command is `null`.
      client.connect().catch((error: unknown) => this.health.connectionFailed(error));
    }
  }

  isReady(): boolean {
    return this.#single?.isReady ?? this.#clusterReady;
  }

  /** Connected, and the last commands went through. */
  isHealthy(): boolean {
    return this.isReady() && this.health.isUp();
  }

  /**
   * A command someone waits on: its reply, or `null` when Redis is down, saturated, slow or
   * failing. Nothing is queued while disconnected: the caller gets its `null` right away.
   */
  async command<T>(name: string, run: (client: RedisCommands, bytes: ByteCommands) => Promise<T>): Promise<T | null> {
    if (!this.isReady()) {
      this.health.skipped();
      return null;
    }
    if (this.#pending >= this.#maxPending) {
      this.health.saturated(this.#pending);
      return null;
    }
    try {
      const reply = await this.#withTimeout(run(this.client, this.bytes));
      this.health.succeeded();
      return reply;
    } catch (error: unknown) {
      this.health.commandFailed(name, error);
      return null;
    }
  }

  /** Resolves `true` once connected, `false` when that takes longer than `timeoutMs`. */
  waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.isReady()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settle = (ready: boolean) => {
        clearTimeout(timer);
        this.#readyWaiters.delete(onReady);
        resolve(ready);
      };
      const onReady = () => settle(true);
      const timer = setTimeout(settle, timeoutMs, false);
      this.#readyWaiters.add(onReady);
    });
  }

  /**
   * Closes gracefully when that is quick; otherwise drops the socket. A graceful close waits for
   * every pending reply, which a hung Redis, or a connection wedged by a restart, never sends.
   */
  async close(): Promise<void> {
    const raw = this.raw;
    if (!raw.isOpen) return;
    if (!this.isHealthy() || this.#pending > 0) {
      raw.destroy();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const closed = raw.close().then(
      () => true,
      () => false,
    );
    const waited = new Promise<false>((resolve) => (timer = setTimeout(resolve, closeWaitMs, false)));
    const graceful = await Promise.race([closed, waited]);
    clearTimeout(timer);
    if (!graceful && raw.isOpen) raw.destroy();
  }

  /** A single-Redis connection to a cluster node reaches a third of the keys: say so, once. */
  async #warnIfClusterNode(client: RedisClient): Promise<void> {
    try {
      const info = await client.info('cluster');
      if (/^cluster_enabled:1/m.test(info)) {
        this.#logger.error('REDIS_URL names a Redis Cluster node, but the gateway speaks to it as one Redis: set REDIS_CLUSTER=true or list the nodes');
      }
    } catch {
      // Not a reason to stop: the check is a courtesy.
    }
  }

  #withTimeout<T>(reply: Promise<T>): Promise<T> {
    this.#pending += 1;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CommandTimeoutError(this.commandTimeoutMs)), this.commandTimeoutMs);
      // Both handlers are attached up front, so a reply that fails after the timeout is
      // handled here and never surfaces as an unhandled rejection.
      reply.then(
        (value) => {
          this.#pending -= 1;
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          this.#pending -= 1;
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}

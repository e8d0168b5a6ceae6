import { createClient } from 'redis';
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
 */

export interface RedisConnectionOptions {
  url: string;
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

/**
 * Reconnect delays that double up to `maxDelayMs`; the jitter keeps many replicas from
 * reconnecting in lockstep after a Redis restart.
 */
export function jitteredReconnect(maxDelayMs: number): (retries: number) => number {
  return (retries) => Math.min(maxDelayMs, 50 * 2 ** retries) * (0.8 + Math.random() * 0.4);
}

function createRedisClient(options: RedisConnectionOptions) {
  return createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeoutMs ?? defaults.connectTimeoutMs,
      reconnectStrategy: jitteredReconnect(options.maxReconnectDelayMs ?? defaults.maxReconnectDelayMs),
    },
  });
}

export type RedisClient = ReturnType<typeof createRedisClient>;

class CommandTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`redis command took longer than ${timeoutMs} ms`);
    this.name = 'CommandTimeoutError';
  }
}

export class RedisConnection {
  readonly client: RedisClient;
  readonly health: RedisHealth;
  readonly commandTimeoutMs: number;
  readonly #maxPending: number;
  #pending = 0;

  constructor(options: RedisConnectionOptions) {
    this.commandTimeoutMs = options.commandTimeoutMs ?? defaults.commandTimeoutMs;
    this.#maxPending = options.maxPendingCommands ?? defaults.maxPendingCommands;
    this.health = new RedisHealth(options.logger);
    this.client = createRedisClient(options);
    // Without an 'error' listener a lost connection would crash the process.
    this.client.on('error', (error: unknown) => this.health.connectionFailed(error));
    this.client.on('ready', () => this.health.connected());
    // Resolves at the first connection; until then (and between reconnects) every command is `null`.
    this.client.connect().catch((error: unknown) => this.health.connectionFailed(error));
  }

  isReady(): boolean {
    return this.client.isReady;
  }

  /** Connected, and the last commands went through. */
  isHealthy(): boolean {
    return this.client.isReady && this.health.isUp();
  }

  /**
   * A command someone waits on: its reply, or `null` when Redis is down, saturated, slow or
   * failing. Nothing is queued while disconnected: the caller gets its `null` right away.
   */
  async command<T>(name: string, run: (client: RedisClient) => Promise<T>): Promise<T | null> {
    if (!this.client.isReady) {
      this.health.skipped();
      return null;
    }
    if (this.#pending >= this.#maxPending) {
      this.health.saturated(this.#pending);
      return null;
    }
    try {
      const reply = await this.#withTimeout(run(this.client));
      this.health.succeeded();
      return reply;
    } catch (error: unknown) {
      this.health.commandFailed(name, error);
      return null;
    }
  }

  /** Resolves `true` once connected, `false` when that takes longer than `timeoutMs`. */
  waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.client.isReady) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settle = (ready: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        resolve(ready);
      };
      const onReady = () => settle(true);
      const timer = setTimeout(settle, timeoutMs, false);
      this.client.once('ready', onReady);
    });
  }

  /**
   * Closes gracefully when that is quick; otherwise drops the socket. A graceful close waits for
   * every pending reply, which a hung Redis, or a connection wedged by a restart, never sends.
   */
  async close(): Promise<void> {
    if (!this.client.isOpen) return;
    if (!this.client.isReady || this.#pending > 0) {
      this.client.destroy();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const closed = this.client.close().then(
      () => true,
      () => false,
    );
    const waited = new Promise<false>((resolve) => (timer = setTimeout(resolve, closeWaitMs, false)));
    const graceful = await Promise.race([closed, waited]);
    clearTimeout(timer);
    if (!graceful && this.client.isOpen) this.client.destroy();
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

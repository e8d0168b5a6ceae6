import { createClient } from 'redis';
import type { Logger } from '../../logger.ts';
import { ttlToMs, type Cache } from './cache.ts';
import { RedisHealth } from '../redis/health.ts';

export interface RedisCacheOptions {
  url: string;
  logger: Logger;
  /** Past this a command counts as a miss; the reply, if it ever comes, is dropped. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Reconnect attempts back off exponentially up to this delay. */
  maxReconnectDelayMs?: number;
  /**
   * Commands sent and not answered yet. A Redis that hangs without closing the socket never
   * answers, so past this many the cache stops sending and answers every call as a miss.
   */
  maxPendingCommands?: number;
}

const defaults = { commandTimeoutMs: 50, connectTimeoutMs: 1000, maxReconnectDelayMs: 2000, maxPendingCommands: 1000 };

/** Deletes KEYS[1] only while it holds ARGV[1]: compare and delete in one step. */
const deleteIfEqualsScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

class CommandTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`redis command took longer than ${timeoutMs} ms`);
    this.name = 'CommandTimeoutError';
  }
}

/**
 * Reconnect delays that double up to `maxDelayMs`; the jitter keeps many replicas from
 * reconnecting in lockstep after a Redis restart.
 */
export function jitteredReconnect(maxDelayMs: number): (retries: number) => number {
  return (retries) => Math.min(maxDelayMs, 50 * 2 ** retries) * (0.8 + Math.random() * 0.4);
}

function createRedisClient(options: RedisCacheOptions) {
  return createClient({
    url: options.url,
    // Queued commands would wait out an outage and then flood a Redis that just came back;
    // a cache is better off answering "miss" at once.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeoutMs ?? defaults.connectTimeoutMs,
      reconnectStrategy: jitteredReconnect(options.maxReconnectDelayMs ?? defaults.maxReconnectDelayMs),
    },
  });
}

type RedisClient = ReturnType<typeof createRedisClient>;

export class RedisCache implements Cache {
  readonly #client: RedisClient;
  readonly #health: RedisHealth;
  readonly #timeoutMs: number;
  readonly #maxPending: number;
  #pending = 0;

  constructor(options: RedisCacheOptions) {
    this.#timeoutMs = options.commandTimeoutMs ?? defaults.commandTimeoutMs;
    this.#maxPending = options.maxPendingCommands ?? defaults.maxPendingCommands;
    this.#health = new RedisHealth(options.logger);
    this.#client = createRedisClient(options);
    // Without an 'error' listener a lost connection would crash the process.
    this.#client.on('error', (error: unknown) => this.#health.connectionFailed(error));
    this.#client.on('ready', () => this.#health.connected());
    // Resolves at the first connection; until then (and between reconnects) every call is a miss.
    this.#client.connect().catch((error: unknown) => this.#health.connectionFailed(error));
  }

  get(key: string): Promise<string | null> {
    return this.#run('GET', (client) => client.get(key), null);
  }

  async set(key: string, value: string, ttlSeconds: number | null): Promise<void> {
    const ttlMs = ttlToMs(ttlSeconds);
    if (ttlMs === 0) return this.delete(key);
    const expiration = ttlMs === null ? undefined : { type: 'PX' as const, value: ttlMs };
    await this.#run('SET', (client) => client.set(key, value, { expiration }), null);
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const ttlMs = ttlToMs(ttlSeconds);
    if (ttlMs === 0) return false;
    const expiration = ttlMs === null ? undefined : { type: 'PX' as const, value: ttlMs };
    const reply = await this.#run('SET NX', (client) => client.set(key, value, { expiration, condition: 'NX' }), null);
    return reply === 'OK';
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    const options = { keys: [key], arguments: [value] };
    const reply = await this.#run('EVAL', (client) => client.eval(deleteIfEqualsScript, options), 0);
    return reply === 1;
  }

  async delete(key: string): Promise<void> {
    await this.#run('DEL', (client) => client.del(key), 0);
  }

  async ping(): Promise<boolean> {
    return (await this.#run('PING', (client) => client.ping(), null)) === 'PONG';
  }

  isHealthy(): boolean {
    return this.#client.isReady && this.#health.isUp();
  }

  /** Resolves `true` once connected, `false` if that takes longer than `timeoutMs`. */
  waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.#client.isReady) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settle = (ready: boolean) => {
        clearTimeout(timer);
        this.#client.off('ready', onReady);
        resolve(ready);
      };
      const onReady = () => settle(true);
      const timer = setTimeout(settle, timeoutMs, false);
      this.#client.once('ready', onReady);
    });
  }

  async close(): Promise<void> {
    if (!this.#client.isOpen) return;
    // A graceful close waits for pending replies, which a hung Redis never sends.
    if (this.#client.isReady && this.#pending === 0) await this.#client.close();
    else this.#client.destroy();
  }

  async #run<T>(command: string, send: (client: RedisClient) => Promise<T>, fallback: T): Promise<T> {
    // Nothing is queued while disconnected or saturated: the caller gets its miss right away.
    if (!this.#client.isReady) {
      this.#health.skipped();
      return fallback;
    }
    if (this.#pending >= this.#maxPending) {
      this.#health.saturated(this.#pending);
      return fallback;
    }
    try {
      const reply = await this.#withTimeout(send(this.#client));
      this.#health.succeeded();
      return reply;
    } catch (error: unknown) {
      this.#health.commandFailed(command, error);
      return fallback;
    }
  }

  #withTimeout<T>(reply: Promise<T>): Promise<T> {
    this.#pending += 1;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CommandTimeoutError(this.#timeoutMs)), this.#timeoutMs);
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

export function createRedisCache(options: RedisCacheOptions): RedisCache {
  return new RedisCache(options);
}

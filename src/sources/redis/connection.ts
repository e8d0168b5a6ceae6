import { createClient } from 'redis';
import type { Logger } from '../../logger.ts';
import { RedisHealth } from './health.ts';
import { jitteredReconnect } from '../cache/redis.ts';

/**
 * The Redis connection of the feed mirror. The mirror needs hashes and a script, which the
 * string cache interface does not offer, so it has a connection of its own, with the cache's
 * habits: no offline queue (a command during an outage fails at once instead of piling up), a
 * capped, jittered reconnect, and few log lines however long an outage lasts.
 */

export interface MirrorRedisOptions {
  url: string;
  logger: Logger;
  /** Past this a gateway read counts as a miss; the sync waits as long as a command takes. */
  readTimeoutMs?: number;
  maxReconnectDelayMs?: number;
}

function createMirrorClient(options: MirrorRedisOptions) {
  return createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 1_000, reconnectStrategy: jitteredReconnect(options.maxReconnectDelayMs ?? 2_000) },
  });
}

export type MirrorRedisClient = ReturnType<typeof createMirrorClient>;

export class MirrorRedis {
  readonly client: MirrorRedisClient;
  readonly health: RedisHealth;
  readonly readTimeoutMs: number;

  constructor(options: MirrorRedisOptions) {
    this.readTimeoutMs = options.readTimeoutMs ?? 50;
    this.health = new RedisHealth(options.logger);
    this.client = createMirrorClient(options);
    this.client.on('error', (error: unknown) => this.health.connectionFailed(error));
    this.client.on('ready', () => this.health.connected());
    this.client.connect().catch((error: unknown) => this.health.connectionFailed(error));
  }

  isReady(): boolean {
    return this.client.isReady;
  }

  /** Resolves `true` once connected, `false` when that takes longer than `timeoutMs`. */
  async waitUntilReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.client.isReady) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }

  /**
   * A read for the gateway: `null` when Redis is down, slow or answers nonsense, so the caller
   * falls back to upstream and the query never fails because of the mirror.
   */
  async read<T>(command: string, run: (client: MirrorRedisClient) => Promise<T>): Promise<T | null> {
    if (!this.client.isReady) {
      this.health.skipped();
      return null;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis command took longer than ${this.readTimeoutMs} ms`)), this.readTimeoutMs);
    });
    const reply = run(this.client);
    // A reply that fails after the timeout already answered is dropped, never left unhandled.
    reply.catch(() => {});
    try {
      const value = await Promise.race([reply, timeout]);
      this.health.succeeded();
      return value;
    } catch (error: unknown) {
      this.health.commandFailed(command, error);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Closes gracefully when that is quick; otherwise drops the socket. A graceful close waits
   * for every pending reply, which a connection wedged by a Redis restart may never send.
   */
  async close(): Promise<void> {
    if (!this.client.isOpen) return;
    if (!this.client.isReady) {
      this.client.destroy();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const closed = this.client.close().then(
      () => true,
      () => false,
    );
    const waited = new Promise<false>((resolve) => (timer = setTimeout(resolve, 1_000, false)));
    const graceful = await Promise.race([closed, waited]);
    clearTimeout(timer);
    if (!graceful && this.client.isOpen) this.client.destroy();
  }
}

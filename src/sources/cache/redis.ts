import { RedisConnection, type RedisConnectionOptions } from '../redis/connection.ts';
import { ttlToMs, type Cache } from './cache.ts';

/** Deletes KEYS[1] only while it holds ARGV[1]: compare and delete in one step. */
const deleteIfEqualsScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * The cache on the shared Redis connection: every command answers a miss (or `false`) on any
 * trouble, through the connection's `command`. Never `KEYS`.
 */
export class RedisCache implements Cache {
  readonly connection: RedisConnection;
  /** A connection this cache opened itself is closed with it; a shared one belongs to its owner. */
  readonly #ownsConnection: boolean;

  constructor(connection: RedisConnection | RedisConnectionOptions) {
    this.#ownsConnection = !(connection instanceof RedisConnection);
    this.connection = connection instanceof RedisConnection ? connection : new RedisConnection(connection);
  }

  get(key: string): Promise<string | null> {
    return this.connection.command('GET', (client) => client.get(key));
  }

  async set(key: string, value: string, ttlSeconds: number | null): Promise<void> {
    const ttlMs = ttlToMs(ttlSeconds);
    if (ttlMs === 0) return this.delete(key);
    const expiration = ttlMs === null ? undefined : { type: 'PX' as const, value: ttlMs };
    await this.connection.command('SET', (client) => client.set(key, value, { expiration }));
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const ttlMs = ttlToMs(ttlSeconds);
    if (ttlMs === 0) return false;
    const expiration = ttlMs === null ? undefined : { type: 'PX' as const, value: ttlMs };
    const reply = await this.connection.command('SET NX', (client) => client.set(key, value, { expiration, condition: 'NX' }));
    return reply === 'OK';
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    const options = { keys: [key], arguments: [value] };
    return (await this.connection.command('EVAL', (client) => client.eval(deleteIfEqualsScript, options))) === 1;
  }

  async delete(key: string): Promise<void> {
    await this.connection.command('DEL', (client) => client.del(key));
  }

  async ping(): Promise<boolean> {
    return (await this.connection.command('PING', (client) => client.ping())) === 'PONG';
  }

  isHealthy(): boolean {
    return this.connection.isHealthy();
  }

  waitUntilReady(timeoutMs: number): Promise<boolean> {
    return this.connection.waitUntilReady(timeoutMs);
  }

  async close(): Promise<void> {
    if (this.#ownsConnection) await this.connection.close();
  }
}

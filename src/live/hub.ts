import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, filter, Repeater, type PubSub } from 'graphql-yoga';
import type { Logger } from '../logger.ts';
import type { CredentialFingerprint } from '../sources/cache/keys.ts';
import type { RedisConnection } from '../sources/redis/connection.ts';
import { liveChannel, liveEventModel, type LiveEvent } from './events.ts';

/**
 * Where live events meet their subscribers: Yoga's pub/sub, over Redis pub/sub when Redis is
 * configured (every replica hears what any process publishes, the sync process included), in
 * this process otherwise. Publishing never fails a caller: a lost message is what a
 * subscriber's `since` cursor replays.
 */

type Topics = Record<string, [LiveEvent]>;

/** The three calls `@graphql-yoga/redis-event-target` makes, on node-redis (it is written for ioredis). */
interface EventTargetClient {
  publish(channel: string, message: string): unknown;
  subscribe(channel: string): unknown;
  unsubscribe(channel: string): unknown;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
}

/** A subscribing connection of its own (Redis allows nothing else on one), opened at the first subscriber. */
function redisClients(redis: RedisConnection, logger: Logger): { publishClient: EventTargetClient; subscribeClient: EventTargetClient; close(): Promise<void> } {
  const listeners: Array<(channel: string, message: string) => void> = [];
  let subscriber: ReturnType<RedisConnection['raw']['duplicate']> | null = null;
  const connected = () => {
    if (subscriber === null) {
      subscriber = redis.raw.duplicate();
      subscriber.on('error', (error: unknown) => logger.warn('live updates: Redis subscriber connection failed; it reconnects', { error }));
      subscriber.connect().catch((error: unknown) => logger.warn('live updates: Redis subscriber did not connect', { error }));
    }
    return subscriber;
  };
  const deliver = (message: string, channel: string) => {
    for (const listener of listeners) listener(channel, message);
  };
  const failed = (what: string) => (error: unknown) => logger.warn(`live updates: ${what} failed`, { error });
  const unused = () => {
    throw new Error('not used by the event target');
  };
  return {
    publishClient: {
      publish: (channel, message) => redis.raw.publish(channel, message).catch(failed('publish')),
      subscribe: unused,
      unsubscribe: unused,
      on: unused,
    },
    subscribeClient: {
      publish: unused,
      subscribe: (channel) => connected().subscribe(channel, deliver).catch(failed('subscribe')),
      unsubscribe: (channel) => connected().unsubscribe(channel, deliver).catch(failed('unsubscribe')),
      on: (_event, listener) => listeners.push(listener),
    },
    async close() {
      const open: { close(): Promise<unknown> } | null = subscriber;
      subscriber = null;
      await open?.close().catch(() => {});
    },
  };
}

/** A tenant's open subscriptions in this process: refused past the cap, released when each ends. */
class SubscriptionCounts {
  readonly #open = new Map<string, number>();

  constructor(readonly maxPerTenant: number) {}

  /** A release function, or null when the tenant already holds `maxPerTenant`. */
  take(tenant: string): (() => void) | null {
    const open = this.#open.get(tenant) ?? 0;
    if (open >= this.maxPerTenant) return null;
    this.#open.set(tenant, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.#open.get(tenant) ?? 1) - 1;
      if (now === 0) this.#open.delete(tenant);
      else this.#open.set(tenant, now);
    };
  }

  openFor(tenant: string): number {
    return this.#open.get(tenant) ?? 0;
  }
}

export class LiveHub {
  readonly #pubSub: PubSub<Topics>;
  readonly #close: () => Promise<void>;
  readonly counts: SubscriptionCounts;

  constructor(options: { redis: RedisConnection | null; logger: Logger; maxSubscriptionsPerTenant: number }) {
    this.counts = new SubscriptionCounts(options.maxSubscriptionsPerTenant);
    if (options.redis === null) {
      this.#pubSub = createPubSub<Topics>();
      this.#close = async () => {};
      return;
    }
    const clients = redisClients(options.redis, options.logger);
    // Messages come from Redis: whatever does not parse is dropped, never handed to a subscriber.
    const serializer = { stringify: JSON.stringify, parse: (text: string) => liveEventModel.safeParse(JSON.parse(text)).data ?? null };
    // The event target's types name ioredis; the clients above make the calls it makes.
    const eventTarget = createRedisEventTarget<CustomEvent<LiveEvent>>({ ...clients, serializer } as unknown as Parameters<typeof createRedisEventTarget>[0]);
    this.#pubSub = createPubSub<Topics>({ eventTarget });
    this.#close = clients.close;
  }

  /** Tells every subscriber of the event's ledger, on every replica. */
  publish(fp: CredentialFingerprint, event: LiveEvent): void {
    this.#pubSub.publish(liveChannel(fp, event.ledgerId), event);
  }

  /** The events of these ledgers only, as they are published, until the iterator is returned. */
  subscribe(fp: CredentialFingerprint, ledgerIds: readonly string[]): AsyncIterableIterator<LiveEvent> {
    const streams = ledgerIds.map((ledgerId) => this.#pubSub.subscribe(liveChannel(fp, ledgerId)));
    return Repeater.merge(streams.map(filter((event: LiveEvent | null): event is LiveEvent => event !== null)));
  }

  close(): Promise<void> {
    return this.#close();
  }
}

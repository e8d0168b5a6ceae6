import { z } from 'zod';
import type { CredentialFingerprint } from '../sources/cache/keys.ts';
import { feedKeys, feeds, grantedLedgersKey, type Feed, type FeedKeys } from './keys.ts';
import type { RedisConnection } from '../sources/redis/connection.ts';
import { unpackChunk } from './chunks.ts';
import { storePageArguments, storePageScript } from './scripts.ts';
import { decodeState, encodeState, initialFeedState, isOutdated, type FeedState, type Step } from './state.ts';

/**
 * The sync's side of the mirror: state, pages and grants. Unlike the gateway's reads, failures
 * here are thrown: the sync retries a page rather than losing it.
 */

const scriptReply = z.number().int();

export interface StoredState {
  /** Exactly as stored ('' when there is none yet): what the next page's write compares against. */
  raw: string;
  state: FeedState;
  /** The stored state is of an older layout of the mirror: `state` is the initial one, and the feed's keys are to be removed. */
  outdated?: boolean;
}

export class MirrorStore {
  constructor(readonly redis: RedisConnection) {}

  keys(fp: CredentialFingerprint, ledgerId: string, feed: Feed): FeedKeys {
    return feedKeys(fp, ledgerId, feed);
  }

  async readState(keys: FeedKeys): Promise<StoredState> {
    const raw = await this.redis.client.get(keys.state);
    if (isOutdated(raw)) return { raw: raw ?? '', state: initialFeedState, outdated: true };
    return { raw: raw ?? '', state: decodeState(raw) };
  }

  /** Stores a page and its state in one step; `null` when the state moved since `expected` was read. */
  async storePage(keys: FeedKeys, expected: string, step: Step): Promise<StoredState | null> {
    const next = encodeState(step.state);
    const args = [expected, next, ...storePageArguments(step.entries)];
    const reply = await this.redis.client.eval(storePageScript, {
      keys: [keys.state, keys.entries, keys.dates, keys.byPspReference, keys.byReference],
      arguments: args,
    });
    return scriptReply.parse(reply) === 1 ? { raw: next, state: step.state } : null;
  }

  /**
   * Records the ledgers granted now and forgets the mirror of every ledger granted before and
   * not any more: a partner whose grant was withdrawn is not served from what was mirrored.
   */
  async recordGrants(fp: CredentialFingerprint, ledgerIds: readonly string[]): Promise<string[]> {
    const key = grantedLedgersKey(fp);
    const before = await this.redis.client.sMembers(key);
    const now = new Set(ledgerIds);
    const withdrawn = before.filter((ledgerId) => !now.has(ledgerId));
    for (const ledgerId of withdrawn) {
      await this.redis.client.sRem(key, ledgerId);
      await this.forget(fp, ledgerId);
    }
    if (ledgerIds.length > 0) await this.redis.client.sAdd(key, [...ledgerIds]);
    return withdrawn;
  }

  async forget(fp: CredentialFingerprint, ledgerId: string): Promise<void> {
    await this.redis.client.unlink(feeds.flatMap((feed) => Object.values(this.keys(fp, ledgerId, feed))));
  }

  /** Removes one feed's mirror, state included: it is mirrored again from its start. */
  async forgetFeed(keys: FeedKeys): Promise<void> {
    await this.redis.client.unlink(Object.values(keys));
  }

  /** Every mirrored entry of a feed as stored (JSON), in feed order. Reads the whole feed: for checks and tools. */
  async feedEntries(fp: CredentialFingerprint, ledgerId: string, feed: Feed): Promise<string[]> {
    const chunks = await this.redis.bytes.hGetAll(this.keys(fp, ledgerId, feed).entries);
    return Object.entries(chunks)
      .map(([first, packed]) => ({ first: Number(first), packed }))
      .sort((a, b) => a.first - b.first)
      .flatMap((chunk) => unpackChunk(chunk.packed));
  }

  /** The mirrored entries of one Report ledger date, in feed order. */
  async dateEntries(fp: CredentialFingerprint, ledgerId: string, feed: Feed, date: string): Promise<string[]> {
    const keys = this.keys(fp, ledgerId, feed);
    const firsts = (await this.redis.client.hGet(keys.dates, date))?.split(' ') ?? [];
    if (firsts.length === 0) return [];
    const chunks = await this.redis.bytes.hmGet(keys.entries, firsts);
    return chunks.flatMap((packed, index) => {
      if (packed === null) throw new Error(`the mirror indexes a chunk at ${firsts[index]} on ${date} but holds none there`);
      return unpackChunk(packed);
    });
  }
}

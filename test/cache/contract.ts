import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cache } from '../../src/sources/cache/cache.ts';

export interface ContractSubject {
  cache: Cache;
  /** Lets `seconds` pass for the backend: a fake clock, or real time for Redis. */
  pass(seconds: number): Promise<void>;
}

/** What every backend must do the same way; each backend's suite runs this once. */
export function describeCacheContract(backend: string, setUp: () => Promise<ContractSubject>): void {
  describe(`${backend} backend: the Cache contract`, () => {
    let subject: ContractSubject;
    let cache: Cache;
    // Redis outlives one test: every test writes under its own keys.
    let key: (name: string) => string;

    beforeEach(async () => {
      subject = await setUp();
      cache = subject.cache;
      const run = randomUUID();
      key = (name) => `contract:${run}:${name}`;
    });
    afterEach(async () => {
      await cache.close();
    });

    it('misses a key that was never set', async () => {
      expect(await cache.get(key('absent'))).toBeNull();
    });

    it('returns what was set, and the last value written wins', async () => {
      await cache.set(key('a'), 'first', null);
      expect(await cache.get(key('a'))).toBe('first');
      await cache.set(key('a'), 'second', 60);
      expect(await cache.get(key('a'))).toBe('second');
    });

    it('keeps values with any characters and of some size intact', async () => {
      const value = `{"name":"Kaffe & kake ☕ – æøå","blob":"${'x'.repeat(200_000)}"}`;
      await cache.set(key('big'), value, 60);
      expect(await cache.get(key('big'))).toBe(value);
    });

    it('forgets a value after its TTL and keeps one stored for good', async () => {
      await cache.set(key('short'), 'v', 0.2);
      await cache.set(key('forever'), 'v', null);
      expect(await cache.get(key('short'))).toBe('v');
      await subject.pass(0.3);
      expect(await cache.get(key('short'))).toBeNull();
      expect(await cache.get(key('forever'))).toBe('v');
    });

    it('stores nothing for a TTL of zero and drops the value it replaces', async () => {
      await cache.set(key('k'), 'old', null);
      await cache.set(key('k'), 'new', 0);
      expect(await cache.get(key('k'))).toBeNull();
    });

    it('lets only the first setIfAbsent win, until the key is gone', async () => {
      expect(await cache.setIfAbsent(key('lock'), 'one', 60)).toBe(true);
      expect(await cache.setIfAbsent(key('lock'), 'two', 60)).toBe(false);
      expect(await cache.get(key('lock'))).toBe('one');
      await cache.delete(key('lock'));
      expect(await cache.setIfAbsent(key('lock'), 'two', 60)).toBe(true);
      expect(await cache.get(key('lock'))).toBe('two');
    });

    it('lets setIfAbsent win again once the held value expired', async () => {
      expect(await cache.setIfAbsent(key('lock'), 'one', 0.2)).toBe(true);
      await subject.pass(0.3);
      expect(await cache.setIfAbsent(key('lock'), 'two', 60)).toBe(true);
    });

    it('deletes with deleteIfEquals only while the key holds that value', async () => {
      await cache.set(key('owned'), 'mine', 60);
      expect(await cache.deleteIfEquals(key('owned'), 'theirs')).toBe(false);
      expect(await cache.get(key('owned'))).toBe('mine');
      expect(await cache.deleteIfEquals(key('owned'), 'mine')).toBe(true);
      expect(await cache.get(key('owned'))).toBeNull();
      expect(await cache.deleteIfEquals(key('owned'), 'mine')).toBe(false);
    });

    it('deletes a key, and deleting an absent key is fine', async () => {
      await cache.set(key('d'), 'v', null);
      await cache.delete(key('d'));
      await cache.delete(key('never'));
      expect(await cache.get(key('d'))).toBeNull();
    });

    it('reports itself healthy while it works', async () => {
      expect(await cache.ping()).toBe(true);
      expect(cache.isHealthy()).toBe(true);
    });
  });
}

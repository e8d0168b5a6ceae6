import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { createCache } from '../../src/sources/cache/index.ts';
import { MemoryCache } from '../../src/sources/cache/memory.ts';
import { describeCacheContract } from './contract.ts';

function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describeCacheContract('memory', async () => {
  const clock = fakeClock();
  return {
    cache: new MemoryCache({ clock: clock.now }),
    pass: async (seconds) => clock.advance(seconds * 1000),
  };
});

describe('memory backend bounds', () => {
  it('is what createCache builds without a Redis URL', async () => {
    const cache = await createCache({ redis: null, logger: silentLogger });
    expect(cache).toBeInstanceOf(MemoryCache);
  });

  it('evicts the least recently used entry past maxEntries', async () => {
    const cache = new MemoryCache({ maxEntries: 3 });
    await cache.set('a', '1', null);
    await cache.set('b', '2', null);
    await cache.set('c', '3', null);
    await cache.get('a'); // now b is the least recently used
    await cache.set('d', '4', null);

    expect(await cache.get('b')).toBeNull();
    expect(await cache.get('a')).toBe('1');
    expect(await cache.get('c')).toBe('3');
    expect(await cache.get('d')).toBe('4');
    expect(cache.usage().entries).toBe(3);
  });

  it('evicts by bytes: keys and values count at two bytes per code unit', async () => {
    const cache = new MemoryCache({ maxBytes: 100 });
    await cache.set('k1', 'x'.repeat(18), null); // 40 bytes
    await cache.set('k2', 'x'.repeat(18), null); // 80 bytes
    await cache.set('k3', 'x'.repeat(18), null); // 120 bytes: k1 goes

    expect(await cache.get('k1')).toBeNull();
    expect(await cache.get('k2')).not.toBeNull();
    expect(await cache.get('k3')).not.toBeNull();
    expect(cache.usage()).toEqual({ entries: 2, bytes: 80 });
  });

  it('does not store a value larger than the whole budget, nor flush others for it', async () => {
    const cache = new MemoryCache({ maxBytes: 100 });
    await cache.set('small', 'x', null);
    await cache.set('huge', 'x'.repeat(100), null);

    expect(await cache.get('huge')).toBeNull();
    expect(await cache.get('small')).toBe('x');
  });

  it('gives back the bytes of replaced, deleted and expired entries', async () => {
    const clock = fakeClock();
    const cache = new MemoryCache({ clock: clock.now });
    await cache.set('a', 'x'.repeat(10), null);
    await cache.set('a', 'x'.repeat(4), null);
    expect(cache.usage()).toEqual({ entries: 1, bytes: 10 });

    await cache.set('b', 'y', 5);
    clock.advance(5_001);
    expect(await cache.get('b')).toBeNull();
    await cache.delete('a');
    expect(cache.usage()).toEqual({ entries: 0, bytes: 0 });
  });

  it('keeps a value through its TTL and drops it the millisecond after (as Redis does)', async () => {
    const clock = fakeClock();
    const cache = new MemoryCache({ clock: clock.now });
    await cache.set('k', 'v', 2);
    clock.advance(2_000);
    expect(await cache.get('k')).toBe('v');
    clock.advance(1);
    expect(await cache.get('k')).toBeNull();
  });
});

import { describe, expect } from 'vitest';
import { z } from 'zod';
import { MemoryCache } from '../../src/sources/cache/memory.ts';
import { jsonCodec, readThrough } from '../../src/sources/cache/read-through.ts';
import { it } from './redis-caches.ts';
import { recordingLogger } from './recording-logger.ts';

const dayModel = z.object({ date: z.string(), isClosed: z.boolean(), totalMinorUnits: z.number().int() });
type Day = z.infer<typeof dayModel>;
const dayCodec = jsonCodec(dayModel);

/** A loader that counts its calls and can be held open, so callers overlap for certain. */
function countingLoader<T>(value: T) {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const loader = {
    calls: 0,
    release,
    load: async () => {
      loader.calls += 1;
      await gate;
      return value;
    },
  };
  return loader;
}

const openDay: Day = { date: '2026-03-02', isClosed: false, totalMinorUnits: 123_45 };
const closedDay: Day = { date: '2026-03-01', isClosed: true, totalMinorUnits: 999_00 };

describe('readThrough', () => {
  it('shares one load among concurrent misses, then serves the stored value', async () => {
    const cache = new MemoryCache();
    const loader = countingLoader(closedDay);
    const waiting = Array.from({ length: 10 }, () => readThrough(cache, 'day', null, loader.load, dayCodec));
    loader.release();

    expect(await Promise.all(waiting)).toEqual(Array(10).fill(closedDay));
    expect(await readThrough(cache, 'day', null, loader.load, dayCodec)).toEqual(closedDay);
    expect(loader.calls).toBe(1);
    expect(await cache.get('day')).toBe(JSON.stringify(closedDay));
  });

  it('loads each key once, separately', async () => {
    const cache = new MemoryCache();
    const loader = countingLoader(closedDay);
    loader.release();
    await Promise.all(['a', 'b', 'a', 'c', 'b'].map((key) => readThrough(cache, key, null, loader.load, dayCodec)));
    expect(loader.calls).toBe(3);
  });

  it('never shares a load between two caches', async () => {
    const loader = countingLoader(closedDay);
    const both = [new MemoryCache(), new MemoryCache()].map((cache) => readThrough(cache, 'same', null, loader.load, dayCodec));
    loader.release();
    await Promise.all(both);
    expect(loader.calls).toBe(2);
  });

  it('passes a failed load to every waiter, stores nothing, and tries again next time', async () => {
    const cache = new MemoryCache();
    let calls = 0;
    const failing = async (): Promise<Day> => {
      calls += 1;
      throw new Error('upstream unavailable');
    };
    const results = await Promise.allSettled([1, 2, 3].map(() => readThrough(cache, 'k', 60, failing, dayCodec)));
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(calls).toBe(1);
    expect(await cache.get('k')).toBeNull();

    expect(await readThrough(cache, 'k', 60, async () => openDay, dayCodec)).toEqual(openDay);
  });

  it('treats an entry that does not decode as a miss and replaces it', async () => {
    const cache = new MemoryCache();
    const logger = recordingLogger();
    await cache.set('corrupt', '{"date":"2026-03-01","isClosed":"yes"}', null);
    await cache.set('not-json', '{"date":', null);

    const loader = countingLoader(closedDay);
    loader.release();
    expect(await readThrough(cache, 'corrupt', null, loader.load, { ...dayCodec, logger })).toEqual(closedDay);
    expect(await readThrough(cache, 'not-json', null, loader.load, { ...dayCodec, logger })).toEqual(closedDay);
    expect(loader.calls).toBe(2);
    expect(logger.at('warn')).toHaveLength(2);
    expect(await cache.get('corrupt')).toBe(JSON.stringify(closedDay));
  });

  it('chooses the TTL from the value: closed dates for good, open ones briefly, zero not at all', async () => {
    let now = 1_700_000_000_000;
    const cache = new MemoryCache({ clock: () => now });
    const ttl = (day: Day) => (day.isClosed ? null : 30);
    await readThrough(cache, 'closed', ttl, async () => closedDay, dayCodec);
    await readThrough(cache, 'open', ttl, async () => openDay, dayCodec);
    await readThrough(cache, 'uncached', 0, async () => openDay, dayCodec);
    await new Promise((resolve) => setImmediate(resolve));

    now += 31_000;
    expect(await cache.get('closed')).not.toBeNull();
    expect(await cache.get('open')).toBeNull();
    expect(await cache.get('uncached')).toBeNull();
  });
});

describe('readThrough with Redis dead', () => {
  it('still makes one upstream load per burst of concurrent misses', async ({ redis, openCache }) => {
    const cache = await openCache();
    await redis.kill('SIGKILL');

    const loader = countingLoader(openDay);
    const burst = Array.from({ length: 50 }, () => readThrough(cache, 'day', 60, loader.load, dayCodec));
    loader.release();
    expect(await Promise.all(burst)).toEqual(Array(50).fill(openDay));
    expect(loader.calls).toBe(1);
  });
});

import { getHeapStatistics } from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { IdleCollector } from '../../src/server/idle-memory.ts';

describe('giving the heap back when quiet', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('collects once no request has begun or ended for the idle time', async () => {
    vi.useFakeTimers();
    const collector = new IdleCollector({ idleMs: 10_000, growthBytes: 0, logger: silentLogger });
    const collect = vi.spyOn(collector, 'collect').mockResolvedValue();
    collector.activity();
    await vi.advanceTimersByTimeAsync(9_000);
    collector.activity();
    await vi.advanceTimersByTimeAsync(9_000);
    expect(collect).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(collect).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(collect).toHaveBeenCalledTimes(1);
    collector.close();
  });

  it('leaves a heap alone that has not grown by enough since the last collection', async () => {
    vi.useFakeTimers();
    const collector = new IdleCollector({ idleMs: 10_000, growthBytes: 2 ** 40, logger: silentLogger });
    const collect = vi.spyOn(collector, 'collect').mockResolvedValue();
    collector.activity();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(collect).not.toHaveBeenCalled();
    collector.close();
  });

  it('never collects on its own with an idle time of 0, nor once closed', async () => {
    vi.useFakeTimers();
    const off = new IdleCollector({ idleMs: 0, growthBytes: 0, logger: silentLogger });
    const closed = new IdleCollector({ idleMs: 10_000, growthBytes: 0, logger: silentLogger });
    const collects = [vi.spyOn(off, 'collect').mockResolvedValue(), vi.spyOn(closed, 'collect').mockResolvedValue()];
    off.activity();
    closed.activity();
    closed.close();
    await vi.advanceTimersByTimeAsync(60_000);
    for (const collect of collects) expect(collect).not.toHaveBeenCalled();
  });

  it('frees what is garbage when it collects', async () => {
    const collector = new IdleCollector({ idleMs: 0, logger: silentLogger });
    let garbage: Array<{ index: number; text: string }> | null = Array.from({ length: 500_000 }, (_, index) => ({ index, text: `entry ${index}` }));
    expect(garbage.length).toBe(500_000);
    garbage = null;
    const before = getHeapStatistics().used_heap_size;
    await collector.collect();
    expect(before - getHeapStatistics().used_heap_size).toBeGreaterThan(10 * 2 ** 20);
    collector.close();
  });
});

import { describe, expect, it } from 'vitest';
import { LocalLayer, throughLocal } from '../../src/sources/cache/upstream.ts';

/** The decoded values a process keeps in front of the shared cache. */

describe('the local layer', () => {
  const weighed = (clock: () => number = Date.now) => new LocalLayer<string[]>(5, (value) => value.length, clock);

  it('pushes out the least recently used values once their entries weigh more than allowed', () => {
    const layer = weighed();
    layer.set('a', ['1', '2'], null);
    layer.set('b', ['1', '2'], null);
    expect(layer.get('a')).toEqual(['1', '2']);
    layer.set('c', ['1', '2'], null);
    expect(layer.get('b')).toBeUndefined();
    expect(layer.get('a')).toEqual(['1', '2']);
    expect(layer.get('c')).toEqual(['1', '2']);
    layer.set('huge', ['1', '2', '3', '4', '5', '6'], null);
    expect(layer.get('huge')).toBeUndefined();
    expect(layer.get('a')).toEqual(['1', '2']);
  });

  it('forgets a value when its time is up', () => {
    let now = 1_000;
    const layer = weighed(() => now);
    layer.set('open', ['1'], 2_000);
    now += 2_000;
    expect(layer.get('open')).toEqual(['1']);
    now += 1;
    expect(layer.get('open')).toBeUndefined();
  });

  it('reads through to the shared cache only for what it does not hold, and holds what can change a short while only', async () => {
    let now = 1_000; // lru-cache reads a start time of 0 as "no TTL"
    const layer = weighed(() => now);
    let reads = 0;
    const read = async () => {
      reads += 1;
      return [`read ${reads}`];
    };
    const forGood = () => null;
    expect(await throughLocal(layer, 'closed', forGood, read)).toEqual(['read 1']);
    expect(await throughLocal(layer, 'closed', forGood, read)).toEqual(['read 1']);
    const briefly = () => 30;
    expect(await throughLocal(layer, 'open', briefly, read)).toEqual(['read 2']);
    now += 2_001;
    expect(await throughLocal(layer, 'open', briefly, read)).toEqual(['read 3']);
    const shorter = () => 0.5;
    expect(await throughLocal(layer, 'short', shorter, read)).toEqual(['read 4']);
    now += 501;
    expect(await throughLocal(layer, 'short', shorter, read)).toEqual(['read 5']);
    expect(await throughLocal(null, 'closed', forGood, read)).toEqual(['read 6']);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { calls, startHarness, type EmulatorHarness } from './emulator.ts';

/** Emulator tokens live this long (wall clock); the provider's clock is moved by hand. */
const ttlSeconds = 20;
const ledgerId = '275826';
const date = '2026-05-19';

describe('TokenProvider against the emulator', () => {
  let harness: EmulatorHarness;

  beforeAll(async () => {
    harness = await startHarness({ tokenTtlSeconds: ttlSeconds });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('fetches one token for many concurrent and later calls', async () => {
    await harness.resetStats();
    const { report } = harness.upstream();
    await Promise.all(Array.from({ length: 20 }, () => report.datePage(ledgerId, 'funds', date)));
    for (let call = 0; call < 5; call += 1) await report.datePage(ledgerId, 'fees', date);
    expect(await harness.count(calls.token)).toBe(1);
    expect(await harness.count(calls.reportDate)).toBe(25);
  });

  it('refreshes inside the margin before expiry while serving the old token, then fetches anew after expiry', async () => {
    let now = Date.now();
    const { http, report } = harness.upstream(0, { clock: () => now });
    await harness.resetStats();
    const first = await http.tokens.get();

    now += (ttlSeconds - 3) * 1000; // before the refresh point (10% of the lifetime before expiry)
    expect(await http.tokens.get()).toBe(first);
    expect(await harness.count(calls.token)).toBe(1);

    now += 1_500; // inside the margin: the old token is still served, a new one is on its way
    expect(await http.tokens.get()).toBe(first);
    await vi.waitFor(async () => expect(await http.tokens.get()).not.toBe(first));
    expect(await harness.count(calls.token)).toBe(2);

    now += ttlSeconds * 1000; // past expiry: callers wait for a new token
    const third = await http.tokens.get();
    expect(await harness.count(calls.token)).toBe(3);
    expect(third).not.toBe(first);

    // The refreshed token works upstream without a 401 round.
    await report.datePage(ledgerId, 'funds', date);
    expect(await harness.count(calls.reportDate)).toBe(1);
    expect(await harness.count(calls.token)).toBe(3);
  });
});

describe('a token the emulator no longer accepts', () => {
  let harness: EmulatorHarness;

  beforeAll(async () => {
    harness = await startHarness({ tokenTtlSeconds: 1 });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('is dropped after a 401 and the call retried once, with one refresh for all concurrent refusals', async () => {
    // A provider whose clock stands still keeps believing in its token after upstream expired it.
    const frozen = Date.now();
    const { report } = harness.upstream(0, { clock: () => frozen });
    await report.datePage(ledgerId, 'funds', date);
    // Upstream expiry has whole-second resolution: past one second of lifetime and its rounding.
    await sleep(2_100);

    await harness.resetStats();
    const pages = await Promise.all(Array.from({ length: 10 }, () => report.datePage(ledgerId, 'funds', date)));
    expect(pages.every((page) => page.items.length > 0)).toBe(true);
    expect(await harness.count(calls.token)).toBe(1);
    // Ten refused with the old token, ten answered with the new one.
    expect(await harness.count(calls.reportDate)).toBe(20);
  });
});

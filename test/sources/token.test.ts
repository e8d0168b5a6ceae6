import { describe, expect, vi } from 'vitest';
import { it } from '../support/harness.ts';
import { calls, routes } from '../support/routes.ts';

/** Emulator tokens live this long (wall clock); the provider's clock is moved by hand. */
const ttlSeconds = 20;
const ledgerId = '275826';
const date = '2026-05-19';

it.override('emulatorOptions', { tokenTtlSeconds: ttlSeconds });

describe('TokenProvider against the emulator', () => {
  it('fetches one token for many concurrent and later calls', async ({ admin, openUpstream }) => {
    await admin.resetStats();
    const { report } = openUpstream();
    await Promise.all(Array.from({ length: 20 }, () => report.datePage(ledgerId, 'funds', date)));
    for (let call = 0; call < 5; call += 1) await report.datePage(ledgerId, 'fees', date);
    expect(await calls(admin, routes.token)).toBe(1);
    expect(await calls(admin, routes.reportDate)).toBe(25);
  });

  it('refreshes inside the margin before expiry while serving the old token, then fetches anew after expiry', async ({ admin, openUpstream }) => {
    let now = Date.now();
    const { http, report } = openUpstream({ clock: () => now });
    await admin.resetStats();
    const first = await http.tokens.get();

    now += (ttlSeconds - 3) * 1000; // before the refresh point (10% of the lifetime before expiry)
    expect(await http.tokens.get()).toBe(first);
    expect(await calls(admin, routes.token)).toBe(1);

    now += 1_500; // inside the margin: the old token is still served, a new one is on its way
    expect(await http.tokens.get()).toBe(first);
    await vi.waitFor(async () => expect(await http.tokens.get()).not.toBe(first));
    expect(await calls(admin, routes.token)).toBe(2);

    now += ttlSeconds * 1000; // past expiry: callers wait for a new token
    const third = await http.tokens.get();
    expect(await calls(admin, routes.token)).toBe(3);
    expect(third).not.toBe(first);

    // The refreshed token works upstream without a 401 round.
    await report.datePage(ledgerId, 'funds', date);
    expect(await calls(admin, routes.reportDate)).toBe(1);
    expect(await calls(admin, routes.token)).toBe(3);
  });
});

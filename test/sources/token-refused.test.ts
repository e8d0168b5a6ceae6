import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { it } from '../support/harness.ts';
import { calls, routes } from '../support/routes.ts';

const ledgerId = '275826';
const date = '2026-05-19';

// Tokens of a second: upstream expires them long before a provider with a still clock notices.
it.override('emulatorOptions', { tokenTtlSeconds: 1 });

describe('a token the emulator no longer accepts', () => {
  it('is dropped after a 401 and the call retried once, with one refresh for all concurrent refusals', async ({ admin, openUpstream }) => {
    // A provider whose clock stands still keeps believing in its token after upstream expired it.
    const frozen = Date.now();
    const { report } = openUpstream({ clock: () => frozen });
    await report.datePage(ledgerId, 'funds', date);
    // Upstream expiry has whole-second resolution: past one second of lifetime and its rounding.
    await sleep(2_100);

    await admin.resetStats();
    const pages = await Promise.all(Array.from({ length: 10 }, () => report.datePage(ledgerId, 'funds', date)));
    expect(pages.every((page) => page.items.length > 0)).toBe(true);
    expect(await calls(admin, routes.token)).toBe(1);
    // Ten refused with the old token, ten answered with the new one.
    expect(await calls(admin, routes.reportDate)).toBe(20);
  });
});

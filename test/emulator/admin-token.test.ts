import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorAdmin, EmulatorAdminError } from '../../src/emulator/admin-client.ts';
import { randomAdminToken, startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';

/** The admin routes hand out every partner's keys: with a token set, nobody without it gets an answer. */

const adminPaths = ['stats', 'faults', 'credentials', 'ledgers', 'clock'] as const;

describe('emulator admin token', () => {
  const token = randomAdminToken();
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, now: '2026-05-20T12:00:00Z', adminToken: token });
  });
  afterAll(() => emulator.close());

  it('draws a fresh token of 32 characters each time', () => {
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(randomAdminToken()).not.toBe(token);
  });

  it('refuses every admin route without the token, with a wrong one, or with it in another scheme', async () => {
    const attempts = [undefined, 'Bearer wrong-token-of-some-length', `Basic ${token}`, `Bearer ${token}x`, `Bearer ${token.slice(1)}`];
    let refused = 0;
    for (const path of adminPaths) {
      for (const authorization of attempts) {
        const response = await fetch(`${emulator.url}/__emulator/${path}`, authorization === undefined ? {} : { headers: { authorization } });
        const body = await response.text();
        expect(response.status).toBe(401);
        expect(body).not.toContain(emulator.partners[0]!.clientSecret);
        refused += 1;
      }
    }
    expect(refused).toBe(adminPaths.length * attempts.length);
    await expect(new EmulatorAdmin(emulator.url).partners()).rejects.toBeInstanceOf(EmulatorAdminError);
  });

  it('answers the holder of the token, and leaves the API routes to their own keys', async () => {
    const admin = new EmulatorAdmin(emulator.url, token);
    expect((await admin.partners()).map((partner) => partner.clientId)).toEqual(emulator.partners.map((partner) => partner.clientId));
    expect((await admin.stats()).total).toBe(0);
    // An API route without its bearer answers the API's own 401, and is counted as an upstream call.
    expect((await fetch(`${emulator.url}/settlement/v1/ledgers`)).status).toBe(401);
    expect((await admin.stats()).total).toBe(1);
  });
});

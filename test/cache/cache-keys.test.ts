import { describe, expect } from 'vitest';
import { z } from 'zod';
import {
  credentialFingerprint,
  keyPrefix,
  ledgerListKey,
  reportDateKey,
  salesDateKey,
  tokenKey,
  tokenLockKey,
  type UpstreamCredential,
} from '../../src/sources/cache/keys.ts';
import { jsonCodec, readThrough } from '../../src/sources/cache/read-through.ts';
import { it } from './redis-caches.ts';

const partnerA: UpstreamCredential = { baseUrl: 'https://api.vipps.no', clientId: 'partner-a', clientSecret: 'secret-of-a-0123456789' };
const partnerB: UpstreamCredential = { ...partnerA, clientId: 'partner-b', clientSecret: 'secret-of-b-9876543210' };

describe('credential fingerprints', () => {
  it('are 16 hex digits and stable for one credential', () => {
    expect(credentialFingerprint(partnerA)).toMatch(/^[0-9a-f]{16}$/);
    expect(credentialFingerprint({ ...partnerA })).toBe(credentialFingerprint(partnerA));
  });

  it('differ when any part of the credential differs, however the parts are split', () => {
    const variants: UpstreamCredential[] = [
      partnerA,
      partnerB,
      { ...partnerA, baseUrl: 'http://127.0.0.1:4010' },
      { ...partnerA, clientSecret: 'rotated' },
      { baseUrl: 'https://api.vipps.no', clientId: 'ab', clientSecret: 'c' },
      { baseUrl: 'https://api.vipps.no', clientId: 'a', clientSecret: 'bc' },
    ];
    expect(new Set(variants.map(credentialFingerprint)).size).toBe(variants.length);
  });
});

describe('cache keys', () => {
  const fp = credentialFingerprint(partnerA);
  const all = [
    reportDateKey(fp, '123456', 'funds', '2026-03-01'),
    reportDateKey(fp, '123456', 'fees', '2026-03-01'),
    salesDateKey(fp, '123456', '2026-03-01'),
    ledgerListKey(fp, null),
    ledgerListKey(fp, 'vipps:12345'),
    tokenKey(fp),
    tokenLockKey(fp),
  ];

  it('carry the version prefix and the fingerprint, and are all distinct', () => {
    for (const key of all) expect(key.startsWith(`${keyPrefix}${fp}:`)).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });

  it('never hold the client id or the secret', () => {
    for (const key of all) {
      expect(key).not.toContain(partnerA.clientSecret);
      expect(key).not.toContain(partnerA.clientId);
    }
  });

  it('cannot be forged by a separator inside a segment', () => {
    expect(reportDateKey(fp, '1:funds', 'fees', '2026-03-01')).not.toBe(reportDateKey(fp, '1', 'funds', 'fees:2026-03-01'));
    expect(ledgerListKey(fp, 'all')).not.toBe(ledgerListKey(fp, null));
  });
});

describe('two credentials against one Redis', () => {
  it('never share an entry for the same ledger date', async ({ openCache }) => {
    const cache = await openCache();
    const codec = jsonCodec(z.object({ fetchedBy: z.string() }));
    const loads: string[] = [];
    const read = (credential: UpstreamCredential) =>
      readThrough(cache, reportDateKey(credentialFingerprint(credential), '123456', 'funds', '2026-03-01'), null, async () => {
        loads.push(credential.clientId);
        return { fetchedBy: credential.clientId };
      }, codec);

    expect(await read(partnerA)).toEqual({ fetchedBy: 'partner-a' });
    expect(await read(partnerB)).toEqual({ fetchedBy: 'partner-b' });
    expect(await read(partnerA)).toEqual({ fetchedBy: 'partner-a' });
    expect(await read(partnerB)).toEqual({ fetchedBy: 'partner-b' });
    expect(loads).toEqual(['partner-a', 'partner-b']);
  });
});

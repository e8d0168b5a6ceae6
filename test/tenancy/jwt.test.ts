import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSPKI, importJWK, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthConfig } from '../../src/config.ts';
import { apiKeyDigest, TenantDirectory } from '../../src/tenancy/directory.ts';
import { tenantIdentifier, type Identification, type Identifier } from '../../src/tenancy/identify.ts';
import { audience, issuer, serveJwks, signingKey, signToken as token, type JwksServer, type SigningKey } from './issuer.ts';

/** JWTs signed for real with jose, checked against a JWKS served over real HTTP. */

const refusal = (outcome: Identification) => ('refused' in outcome ? outcome.refused : null);
const callerOf = (outcome: Identification) => ('caller' in outcome ? outcome.caller : null);

describe('JWTs from the identity provider', () => {
  let jwks: JwksServer;
  let identifier: Identifier;
  let first: SigningKey;

  beforeAll(async () => {
    jwks = await serveJwks([]);
    const folder = await mkdtemp(join(tmpdir(), 'jwt-'));
    const path = join(folder, 'tenants.yaml');
    await writeFile(path, `tenants:\n  - { id: shop, ledgers: ["1", "2", "3"], apiKeys: [${apiKeyDigest('shop-key')}] }\n  - { id: firm, ledgers: "*" }\n`);
    const directory = await TenantDirectory.load(path, new Set(['default']));
    const auth: AuthConfig = {
      mode: 'tenants',
      tenantsFile: path,
      jwt: { jwksUrl: jwks.url, publicKeyPem: null, issuer, audience, tenantClaim: 'tenant', clockSkewSeconds: 30 },
      rates: { requestsPerMinute: 0, upstreamCallsPerMinute: 0 },
      trustedDocuments: [],
    };
    identifier = tenantIdentifier(auth, directory, { cooldownMs: 0 });
    first = await signingKey('first');
    jwks.keys = [first.publicJwk];
  });

  afterAll(async () => {
    await jwks.close();
  });

  const identify = async (jwt: string) => identifier.identify(`Bearer ${jwt}`);

  it('names the tenant of the claim, the subject, and only narrows its ledgers', async () => {
    const caller = callerOf(await identify(await token(first, { tenant: 'shop', sub: 'user-7', ledgers: ['2', '3', '99'] })));
    expect(caller).toMatchObject({ tenantId: 'shop', subject: 'user-7', via: 'jwt' });
    expect(caller?.ledgers).toEqual(new Set(['2', '3']));
    const wide = callerOf(await identify(await token(first, { tenant: 'firm', ledgers: ['9'] })));
    expect(wide?.ledgers).toEqual(new Set(['9']));
    expect(callerOf(await identify(await token(first, { tenant: 'shop' })))?.ledgers).toEqual(new Set(['1', '2', '3']));
  });

  it('refuses forged, expired, early, wrong-issuer and wrong-audience tokens, and says why only to the log', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forger = await signingKey('first');
    expect(refusal(await identify(await token(forger, { tenant: 'shop' })))).toBe('JWT refused: signature does not verify');
    expect(refusal(await identify(await token(first, { tenant: 'shop' }, { exp: now - 60 })))).toBe('JWT refused: expired');
    expect(refusal(await identify(await token(first, { tenant: 'shop' }, { nbf: now + 120 })))).toMatch(/^JWT refused: claim nbf /);
    expect(refusal(await identify(await token(first, { tenant: 'shop' }, { iss: 'https://evil.test/' })))).toMatch(/^JWT refused: claim iss /);
    expect(refusal(await identify(await token(first, { tenant: 'shop' }, { aud: 'someone-else' })))).toMatch(/^JWT refused: claim aud /);
    const tampered = (await token(first, { tenant: 'shop' })).split('.');
    tampered[1] = Buffer.from(JSON.stringify({ tenant: 'firm', iss: issuer, aud: audience, exp: now + 300 })).toString('base64url');
    expect(refusal(await identify(tampered.join('.')))).toBe('JWT refused: signature does not verify');
  });

  it('accepts a token a little past its expiry (clock skew), and none further', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(callerOf(await identify(await token(first, { tenant: 'shop' }, { exp: now - 10 })))?.tenantId).toBe('shop');
    expect(refusal(await identify(await token(first, { tenant: 'shop' }, { exp: now - 45 })))).toBe('JWT refused: expired');
  });

  it('never accepts a shared-secret or unsigned token', async () => {
    const hmac = await new SignJWT({ tenant: 'shop' })
      .setProtectedHeader({ alg: 'HS256', kid: 'first' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a shared secret of thirty-two bytes!'));
    expect(refusal(await identify(hmac))).toMatch(/^JWT refused: /);
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ tenant: 'shop', iss: issuer, aud: audience, exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url');
    expect(refusal(await identify(`${header}.${body}.`))).toMatch(/^JWT refused: /);
  });

  it('refuses a token whose tenant is unknown or whose ledgers claim is not a list', async () => {
    expect(refusal(await identify(await token(first, { tenant: 'nobody' })))).toBe('JWT names no known tenant in claim "tenant"');
    expect(refusal(await identify(await token(first, { sub: 'x' })))).toBe('JWT names no known tenant in claim "tenant"');
    expect(refusal(await identify(await token(first, { tenant: 'shop', ledgers: '1' })))).toBe('JWT claim "ledgers" is not a list of ledger ids');
  });

  it('follows a key rotation: fetches the JWKS again for an unknown key id, and drops the retired key', async () => {
    const before = jwks.fetches;
    const second = await signingKey('second', 'RS256');
    const oldToken = await token(first, { tenant: 'shop' });
    jwks.keys = [second.publicJwk];
    expect(callerOf(await identify(await token(second, { tenant: 'shop' })))?.tenantId).toBe('shop');
    expect(jwks.fetches).toBeGreaterThan(before);
    expect(refusal(await identify(oldToken))).toMatch(/^JWT refused: /);
    jwks.keys = [first.publicJwk, second.publicJwk];
  });

  it('takes an API key beside JWTs, and refuses what is not a bearer token', async () => {
    expect(callerOf(await identifier.identify('Bearer shop-key'))).toMatchObject({ tenantId: 'shop', via: 'api-key', subject: null });
    expect(refusal(await identifier.identify('Bearer unknown-key'))).toBe('unknown API key');
    expect(refusal(await identifier.identify('Basic c2hvcDprZXk='))).toBe('Authorization is not "Bearer <token>"');
    expect(await identifier.identify(null)).toEqual({ refused: 'no Authorization header', challenge: 'missing' });
  });
});

describe('a static public key instead of a JWKS', () => {
  it('checks tokens against it', async () => {
    const key = await signingKey('static', 'RS256');
    const folder = await mkdtemp(join(tmpdir(), 'jwt-'));
    const path = join(folder, 'tenants.yaml');
    await writeFile(path, 'tenants:\n  - { id: shop, ledgers: ["1"] }\n');
    const directory = await TenantDirectory.load(path, new Set(['default']));
    const pem = await exportSPKI((await importJWK(key.publicJwk, 'RS256')) as CryptoKey);
    const auth: AuthConfig = {
      mode: 'tenants',
      tenantsFile: path,
      jwt: { jwksUrl: null, publicKeyPem: pem, issuer, audience, tenantClaim: 'tenant', clockSkewSeconds: 30 },
      rates: { requestsPerMinute: 0, upstreamCallsPerMinute: 0 },
      trustedDocuments: [],
    };
    const identifier = tenantIdentifier(auth, directory);
    expect(callerOf(await identifier.identify(`Bearer ${await token(key, { tenant: 'shop' })}`))?.tenantId).toBe('shop');
    const other = await signingKey('static', 'RS256');
    expect(refusal(await identifier.identify(`Bearer ${await token(other, { tenant: 'shop' })}`))).toBe('JWT refused: signature does not verify');
  });
});

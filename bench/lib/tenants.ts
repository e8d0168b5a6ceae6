import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { apiKeyDigest } from '../../src/tenancy/directory.ts';

/**
 * Callers for the scenarios that measure the gateway in tenants mode: a tenants file in a
 * temporary folder, and an identity provider's key pair whose public half the gateway is
 * given as `AUTH_JWT_PUBLIC_KEY`.
 */

export interface BenchTenant {
  id: string;
  key: string;
  ledgers: '*' | string[];
}

export interface TenantsFile {
  path: string;
  remove(): Promise<void>;
}

export async function writeTenantsFile(tenants: readonly BenchTenant[]): Promise<TenantsFile> {
  const folder = await mkdtemp(join(tmpdir(), 'rgw-bench-tenants-'));
  const path = join(folder, 'tenants.json');
  const file = { tenants: tenants.map(({ key, ...tenant }) => ({ ...tenant, apiKeys: [apiKeyDigest(key)] })) };
  await writeFile(path, JSON.stringify(file));
  return { path, remove: () => rm(folder, { recursive: true, force: true }) };
}

export const identityProvider = { issuer: 'https://idp.bench.test/', audience: 'reporting-gateway' } as const;

export interface TokenSigner {
  /** The environment that makes a gateway accept this provider's tokens. */
  env: Record<string, string>;
  /** A token for a tenant, valid for an hour. */
  sign(tenant: string): Promise<string>;
}

export async function tokenSigner(): Promise<TokenSigner> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    env: { AUTH_JWT_PUBLIC_KEY: await exportSPKI(publicKey), AUTH_ISSUER: identityProvider.issuer, AUTH_AUDIENCE: identityProvider.audience },
    sign: (tenant) =>
      new SignJWT({ tenant })
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer(identityProvider.issuer)
        .setAudience(identityProvider.audience)
        .setSubject('bench-user')
        .setExpirationTime('1h')
        .sign(privateKey),
  };
}

/** Budgets so large they never refuse: the limiter still counts every request, as it does in production. */
export const unrefusedBudgets = { RATE_LIMIT_REQUESTS_PER_MINUTE: '1000000', RATE_LIMIT_UPSTREAM_CALLS_PER_MINUTE: '10000000' };

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

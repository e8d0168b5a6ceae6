import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/**
 * A development identity provider, standing in for the partner's: one signing key made when it
 * starts (tokens die with the process), its public half as a JWKS the gateway fetches
 * (`AUTH_JWKS_URL`), and a sign-in that asks no password and issues a short-lived JWT naming
 * one demo merchant's tenant. Never put it in front of real data.
 */

export interface Merchant {
  /** The tenant id in the gateway's tenants file. */
  id: string;
  name: string;
}

export const demoMerchants: readonly Merchant[] = [
  { id: 'kafe', name: 'Kafé Lindeberg' },
  { id: 'matvogna', name: 'Matvogna' },
];

export interface IdentityProvider {
  issuer: string;
  audience: string;
  merchants: readonly Merchant[];
  jwks(): { keys: JWK[] };
  /** A token for the merchant, or null for one it does not know. */
  signIn(merchantId: string): Promise<{ token: string; expiresAt: number; merchant: Merchant } | null>;
}

export interface IdentityProviderOptions {
  issuer: string;
  audience: string;
  merchants?: readonly Merchant[];
  /** How long a token lives; short, since nothing revokes it. */
  lifetimeSeconds?: number;
}

export async function createIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const kid = `portal-dev-${Date.now().toString(36)}`;
  const { privateKey, publicKey }: { privateKey: CryptoKey; publicKey: CryptoKey } = await generateKeyPair('ES256');
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const merchants = options.merchants ?? demoMerchants;
  const lifetime = options.lifetimeSeconds ?? 900;
  return {
    issuer: options.issuer,
    audience: options.audience,
    merchants,
    jwks: () => ({ keys: [publicJwk] }),
    async signIn(merchantId) {
      const merchant = merchants.find((candidate) => candidate.id === merchantId);
      if (merchant === undefined) return null;
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ tenant: merchant.id })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(`merchant:${merchant.id}`)
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .sign(privateKey);
      return { token, expiresAt: now + lifetime, merchant };
    },
  };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/**
 * A stand-in for the partner's identity provider: signing keys made and used for real with
 * jose, and their public half served as a JWKS over real HTTP, counting every fetch.
 */

export const issuer = 'https://idp.example.test/';
export const audience = 'reporting-gateway';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function signingKey(kid: string, alg: 'ES256' | 'RS256' = 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export interface TokenOptions {
  iss?: string;
  aud?: string;
  /** Seconds since the epoch. */
  exp?: number;
  nbf?: number;
}

export function signToken(key: SigningKey, claims: Record<string, unknown>, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.publicJwk.alg ?? 'ES256', kid: key.kid })
    .setIssuer(options.iss ?? issuer)
    .setAudience(options.aud ?? audience)
    .setIssuedAt(now)
    .setExpirationTime(options.exp ?? now + 300)
    .setNotBefore(options.nbf ?? now - 5)
    .sign(key.privateKey);
}

export interface JwksServer {
  url: string;
  /** The keys served now; replace to rotate. */
  keys: JWK[];
  /** Fetches so far, and when the last one was. */
  fetches: number;
  lastFetchAt: number;
  close(): Promise<void>;
}

export async function serveJwks(keys: JWK[]): Promise<JwksServer> {
  let server: Server | undefined;
  const jwks: JwksServer = {
    url: '',
    keys,
    fetches: 0,
    lastFetchAt: 0,
    close: () => new Promise((resolve) => (server === undefined ? resolve() : server.close(() => resolve()))),
  };
  server = createServer((_request, response) => {
    jwks.fetches += 1;
    jwks.lastFetchAt = Date.now();
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: jwks.keys }));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  jwks.url = `http://127.0.0.1:${port}/jwks.json`;
  return jwks;
}

import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { JwtConfig } from '../config.ts';

/**
 * JWTs from the partner's identity provider, checked with jose: the signature against the
 * provider's JWKS (cached; fetched again when a token names a key id it does not know) or a
 * static public key, then `iss`, `aud`, `exp` and `nbf` with a small clock skew.
 */

/** Asymmetric algorithms only: a shared-secret HS256 token, or `none`, is never accepted. */
const algorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export type JwtVerifier = (token: string) => Promise<JWTPayload>;

export interface JwksOptions {
  /** The least time between two fetches of the JWKS for unknown key ids (a flood of forged kids cannot hammer it). */
  cooldownMs?: number;
}

export function createJwtVerifier(config: JwtConfig, jwks: JwksOptions = {}): JwtVerifier {
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: config.clockSkewSeconds,
    algorithms,
    requiredClaims: ['exp'],
  };
  if (config.jwksUrl !== null) {
    const keys = createRemoteJWKSet(new URL(config.jwksUrl), {
      cooldownDuration: jwks.cooldownMs ?? 30_000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5_000,
    });
    return async (token) => (await jwtVerify(token, keys, options)).payload;
  }
  const key: KeyObject = createPublicKey(config.publicKeyPem ?? '');
  return async (token) => (await jwtVerify(token, key, options)).payload;
}

/** Why a token was refused, for the log (never for the caller). */
export function jwtRefusal(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} ${error.reason}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the JWKS matches';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof errors.JOSEError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

import type { AuthConfig } from '../config.ts';
import { callerOf, openCaller, type Caller } from './caller.ts';
import type { TenantDirectory } from './directory.ts';
import { createJwtVerifier, jwtRefusal, type JwksOptions, type JwtVerifier } from './jwt.ts';

/** Who a request is from, or why it is from nobody the gateway knows. */
export type Identification = { caller: Caller } | { refused: string; challenge: 'missing' | 'invalid_token' };

export interface Identifier {
  identify(authorization: string | null): Promise<Identification>;
}

/** A JWT has three base64url parts; anything else after `Bearer` is taken for an API key. */
const jwtShape = /^[\w-]+\.[\w-]+\.[\w-]*$/;
const bearer = /^Bearer[ \t]+(\S{1,8192})[ \t]*$/i;

/** Open mode: everyone is the open caller. */
export const openIdentifier: Identifier = { identify: async () => ({ caller: openCaller }) };

export function tenantIdentifier(auth: AuthConfig, directory: TenantDirectory, jwks: JwksOptions = {}): Identifier {
  const verify: JwtVerifier | null = auth.jwt === null ? null : createJwtVerifier(auth.jwt, jwks);
  const tenantClaim = auth.jwt?.tenantClaim ?? 'tenant';
  return {
    async identify(authorization) {
      if (authorization === null || authorization.trim() === '') return { refused: 'no Authorization header', challenge: 'missing' };
      const token = bearer.exec(authorization)?.[1];
      if (token === undefined) return { refused: 'Authorization is not "Bearer <token>"', challenge: 'invalid_token' };

      if (!jwtShape.test(token)) {
        const tenant = directory.byApiKey(token);
        return tenant === null ? { refused: 'unknown API key', challenge: 'invalid_token' } : { caller: callerOf(tenant, 'api-key', null) };
      }
      if (verify === null) return { refused: 'a JWT, but no JWT issuer is configured', challenge: 'invalid_token' };
      let claims;
      try {
        claims = await verify(token);
      } catch (error) {
        return { refused: `JWT refused: ${jwtRefusal(error)}`, challenge: 'invalid_token' };
      }
      const tenantId = claims[tenantClaim];
      const tenant = typeof tenantId === 'string' ? directory.byId(tenantId) : null;
      if (tenant === null) return { refused: `JWT names no known tenant in claim "${tenantClaim}"`, challenge: 'invalid_token' };
      const narrowed = claims.ledgers;
      if (narrowed !== undefined && !(Array.isArray(narrowed) && narrowed.every((ledgerId) => typeof ledgerId === 'string'))) {
        return { refused: 'JWT claim "ledgers" is not a list of ledger ids', challenge: 'invalid_token' };
      }
      const subject = typeof claims.sub === 'string' ? claims.sub : null;
      return { caller: callerOf(tenant, 'jwt', subject, narrowed as string[] | undefined) };
    },
  };
}

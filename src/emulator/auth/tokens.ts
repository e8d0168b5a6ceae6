import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { DemoPartner } from '../data/catalog.ts';

/**
 * Access tokens for accounting keys. A token is a JWT-shaped string signed with a key derived
 * from the seed: it carries the partner and its expiry itself, so the emulator keeps no session
 * and tokens stay valid across a restart with the same seed. Expiry follows the wall clock, not
 * the emulated clock, so a short lifetime really runs out even when the data clock stands still.
 */

const claimsModel = z.object({ sub: z.string(), exp: z.number().int() });

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export class TokenAuthority {
  private readonly key: Buffer;
  private readonly header: string;
  private issued = 0;
  /** Verified tokens, so a hot path does not re-hash the same kilobyte on every call. */
  private readonly verified = new Map<string, { partner: DemoPartner; exp: number }>();

  constructor(
    seed: string,
    private readonly partners: readonly DemoPartner[],
    private readonly ttlSeconds: number,
  ) {
    this.key = createHmac('sha256', `emulator-token-key|${seed}`).update('signing').digest();
    this.header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: this.key.subarray(0, 8).toString('hex') }));
  }

  findPartner(clientId: string, clientSecret: string): DemoPartner | undefined {
    return this.partners.find((partner) => partner.clientId === clientId && partner.clientSecret === clientSecret);
  }

  issue(partner: DemoPartner, nowMs: number): TokenResponse {
    const iat = Math.floor(nowMs / 1000);
    // Rounded up, so a token never lives shorter than `expires_in` says.
    const exp = Math.ceil(nowMs / 1000) + this.ttlSeconds;
    this.issued += 1;
    const claims = {
      iss: 'https://api.vipps.no/miami/v1/',
      aud: 'https://api.vipps.no',
      sub: partner.clientId,
      azp: partner.clientId,
      iat,
      nbf: iat,
      exp,
      jti: createHmac('sha256', this.key).update(`${partner.clientId}|${iat}|${this.issued}`).digest('hex'),
      ver: '2.0',
      scp: 'report:read sales:read settlement:read',
      name: partner.name,
      // Real tokens run well past a kilobyte; clients must not assume a short header fits.
      ledgers: partner.ledgerIds,
      ctx: createHmac('sha512', this.key).update(partner.clientId).digest('base64url').repeat(6),
    };
    const payload = base64url(JSON.stringify(claims));
    const signature = createHmac('sha256', this.key).update(`${this.header}.${payload}`).digest('base64url');
    return { access_token: `${this.header}.${payload}.${signature}`, token_type: 'Bearer', expires_in: this.ttlSeconds };
  }

  /** The partner a token belongs to, or null when it is forged, malformed or expired. */
  verify(token: string, nowMs: number): DemoPartner | null {
    const known = this.verified.get(token);
    if (known) return known.exp * 1000 > nowMs ? known.partner : null;
    const [header, payload, signature, ...rest] = token.split('.');
    if (!header || !payload || !signature || rest.length > 0) return null;
    const expected = createHmac('sha256', this.key).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: z.infer<typeof claimsModel>;
    try {
      claims = claimsModel.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    } catch {
      return null;
    }
    const partner = this.partners.find((candidate) => candidate.clientId === claims.sub);
    if (!partner) return null;
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(token, { partner, exp: claims.exp });
    return claims.exp * 1000 > nowMs ? partner : null;
  }
}

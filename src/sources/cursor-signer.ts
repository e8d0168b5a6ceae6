import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Signs the positions the gateway hands out as Relay cursors of upstream feeds, so that a cursor
 * comes back exactly as it was given: a caller cannot point it at another ledger or feed, nor
 * send upstream a cursor of its own making. The key is derived with HKDF from the credential's
 * secret, which every replica already has: cursors stay good across replicas and restarts, and
 * one credential's cursors mean nothing to another's.
 */
export interface CursorSigner {
  sign(payload: string): string;
  /** The payload, or null when the text was not signed with this key or was changed. */
  open(signed: string): string | null;
}

const version = 'c1';

export function cursorSigner(secret: string, salt: string): CursorSigner {
  const key = Buffer.from(hkdfSync('sha256', secret, salt, 'vmp-reporting-gateway feed cursor', 32));
  const macOf = (body: string) => createHmac('sha256', key).update(body).digest().subarray(0, 16);
  return {
    sign(payload) {
      const body = `${version}.${Buffer.from(payload, 'utf8').toString('base64url')}`;
      return `${body}.${macOf(body).toString('base64url')}`;
    },
    open(signed) {
      const dot = signed.lastIndexOf('.');
      const body = signed.slice(0, dot);
      const mac = Buffer.from(signed.slice(dot + 1), 'base64url');
      if (dot < 0 || !body.startsWith(`${version}.`) || mac.length !== 16 || !timingSafeEqual(mac, macOf(body))) return null;
      return Buffer.from(body.slice(version.length + 1), 'base64url').toString('utf8');
    },
  };
}

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The shared upstream token is kept in Redis sealed with AES-256-GCM, so whoever can read Redis
 * (a backup, a replica, a stray `MONITOR`) cannot call upstream with it. The key is derived
 * with HKDF from the credential's own secret, which every replica already has from its
 * environment: nothing new to configure, and each credential's token has its own key.
 */
export interface TokenSeal {
  seal(plain: string): string;
  /** The plain text, or null when the box was not sealed with this key or was changed. */
  open(sealed: string): string | null;
}

const version = 'v1';

export function tokenSeal(secret: string, salt: string): TokenSeal {
  const key = Buffer.from(hkdfSync('sha256', secret, salt, 'vmp-reporting-gateway shared upstream token', 32));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [version, iv, body, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
    },
    open(sealed) {
      const [tag, iv, body, auth] = sealed.split('.');
      if (tag !== version || iv === undefined || body === undefined || auth === undefined) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(auth, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}

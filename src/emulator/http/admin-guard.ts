import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The admin routes hand out every partner's keys and can stop or slow the API, so a running
 * emulator answers them only to whoever holds its admin token (`Authorization: Bearer <token>`).
 * Tests that start an emulator in their own process leave it out and drive it directly.
 */

/** A token for one run, printed where the operator starts the emulator. */
export function randomAdminToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Compared as digests, in constant time, so the answer's timing tells nothing about the token. */
export function adminAllowed(adminToken: string | null, authorization: string | undefined): boolean {
  if (adminToken === null) return true;
  const offered = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (offered === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(offered), digest(adminToken));
}

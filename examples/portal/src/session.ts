/**
 * Who is signed in. The portal's own server says where the gateway is and which demo merchants
 * its development identity provider signs in; a sign-in gives a short-lived JWT, kept for this
 * tab only (sessionStorage), never in a cookie the gateway could be sent without the page asking.
 */

export interface PortalConfig {
  gatewayUrl: string;
  merchants: { id: string; name: string }[];
}

export interface Session {
  token: string;
  merchant: { id: string; name: string };
  expiresAt: number;
}

const key = 'portal.session';

export async function portalConfig(): Promise<PortalConfig> {
  return (await (await fetch('/config.json')).json()) as PortalConfig;
}

export async function signIn(merchantId: string): Promise<Session> {
  const response = await fetch('/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ merchant: merchantId }) });
  if (!response.ok) throw new Error(`sign-in refused (${response.status})`);
  const session = (await response.json()) as Session;
  sessionStorage.setItem(key, JSON.stringify(session));
  return session;
}

export function currentSession(now = Date.now()): Session | null {
  const stored = sessionStorage.getItem(key);
  if (stored === null) return null;
  const session = JSON.parse(stored) as Session;
  return session.expiresAt * 1000 > now ? session : null;
}

export function signOut(): void {
  sessionStorage.removeItem(key);
}

import type { IncomingMessage } from 'node:http';
import { json, type Reply } from '../http/reply.ts';
import type { TokenAuthority } from './tokens.ts';

/**
 * `POST /miami/v1/token`: OAuth 2.0 client credentials with HTTP Basic. Accounting keys have no
 * subscription key, so a request that sends one is refused the way upstream refuses it.
 */

function oauthError(status: number, error: string, description: string): Reply {
  return json(status, { error, error_description: description });
}

function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
}

function headerCredentials(req: IncomingMessage): { clientId: string; clientSecret: string } | null {
  const clientId = req.headers['client_id'];
  const clientSecret = req.headers['client_secret'];
  return typeof clientId === 'string' && typeof clientSecret === 'string' ? { clientId, clientSecret } : null;
}

export function tokenRoute(authority: TokenAuthority, req: IncomingMessage, body: string, nowMs: number): Reply {
  if (req.headers['ocp-apim-subscription-key'] !== undefined) {
    return oauthError(401, 'invalid_client', 'Accounting keys are used without Ocp-Apim-Subscription-Key');
  }
  const form = new URLSearchParams(body);
  const grantType = form.get('grant_type');
  if (grantType === null || grantType === '') return oauthError(400, 'invalid_request', 'grant_type is required');
  if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'Only client_credentials is supported');
  let credentials: ReturnType<typeof basicCredentials>;
  try {
    credentials = basicCredentials(req.headers.authorization) ?? headerCredentials(req);
  } catch {
    credentials = null;
  }
  const partner = credentials && authority.findPartner(credentials.clientId, credentials.clientSecret);
  if (!partner) return oauthError(401, 'invalid_client', 'Client authentication failed');
  return json(200, authority.issue(partner, nowMs));
}

import { z } from 'zod';

/** An access token by client credentials, as a partner's own client gets one. */
export async function fetchToken(baseUrl: string, partner: { clientId: string; clientSecret: string }): Promise<string> {
  const basic = Buffer.from(`${partner.clientId}:${partner.clientSecret}`).toString('base64');
  const response = await fetch(`${baseUrl}/miami/v1/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return z.object({ access_token: z.string() }).parse(await response.json()).access_token;
}

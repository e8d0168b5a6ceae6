import { describe, expect } from 'vitest';
import { z } from 'zod';
import { startTestEmulator } from '../support/emulator.ts';
import { it } from '../support/harness.ts';
import { requestToken } from './support.ts';

const tokenModel = z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int() }).strict();
const oauthErrorModel = z.object({ error: z.string(), error_description: z.string() }).strict();

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

async function postToken(url: string, headers: Record<string, string>, form?: string) {
  const response = await fetch(`${url}/miami/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    ...(form === undefined ? {} : { body: form }),
  });
  const body: unknown = JSON.parse(await response.text());
  return { status: response.status, body };
}

async function ledgersWith(url: string, authorization?: string) {
  const response = await fetch(`${url}/settlement/v1/ledgers`, authorization ? { headers: { authorization } } : {});
  return { status: response.status, text: await response.text() };
}

describe('token endpoint', () => {

  it('issues a long JWT-shaped bearer token for 900 seconds', async ({ emulator }) => {
    const answer = await postToken(emulator.url, { authorization: basic(emulator.partner.clientId, emulator.partner.clientSecret) }, 'grant_type=client_credentials');
    expect(answer.status).toBe(200);
    const token = tokenModel.parse(answer.body);
    expect(token.expires_in).toBe(900);
    expect(token.access_token.split('.')).toHaveLength(3);
    expect(token.access_token.length).toBeGreaterThan(1000);
    expect((await ledgersWith(emulator.url, `Bearer ${token.access_token}`)).status).toBe(200);
  });

  it('also accepts the client_id and client_secret headers of the 2023 specification', async ({ emulator }) => {
    const answer = await postToken(emulator.url, { client_id: emulator.partner.clientId, client_secret: emulator.partner.clientSecret }, 'grant_type=client_credentials');
    expect(answer.status).toBe(200);
    expect(tokenModel.parse(answer.body).token_type).toBe('Bearer');
  });

  it('answers 400 invalid_request without grant_type and 400 for another grant', async ({ emulator }) => {
    const auth = { authorization: basic(emulator.partner.clientId, emulator.partner.clientSecret) };
    const missing = await postToken(emulator.url, auth, '');
    expect(missing.status).toBe(400);
    expect(oauthErrorModel.parse(missing.body).error).toBe('invalid_request');
    const other = await postToken(emulator.url, auth, 'grant_type=password');
    expect(other.status).toBe(400);
    expect(oauthErrorModel.parse(other.body).error).toBe('unsupported_grant_type');
  });

  it('answers 401 invalid_client for a wrong secret, an unknown client and no credentials', async ({ emulator }) => {
    const attempts: Array<Record<string, string>> = [
      { authorization: basic(emulator.partner.clientId, 'wrong') },
      { authorization: basic('00000000-0000-4000-a000-000000000000', emulator.partner.clientSecret) },
      {},
    ];
    for (const headers of attempts) {
      const answer = await postToken(emulator.url, headers, 'grant_type=client_credentials');
      expect(answer.status).toBe(401);
      expect(oauthErrorModel.parse(answer.body).error).toBe('invalid_client');
    }
  });

  it('refuses accounting keys sent with a subscription key', async ({ emulator }) => {
    const answer = await postToken(
      emulator.url,
      { authorization: basic(emulator.partner.clientId, emulator.partner.clientSecret), 'Ocp-Apim-Subscription-Key': 'abc' },
      'grant_type=client_credentials',
    );
    expect(answer.status).toBe(401);
    expect(oauthErrorModel.parse(answer.body).error).toBe('invalid_client');
  });

  it('answers API calls without a valid bearer token with 401', async ({ emulator }) => {
    const token = await requestToken(emulator.url, emulator.partner);
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    for (const authorization of [undefined, token, `Basic ${token}`, `Bearer ${tampered}`, 'Bearer not.a.token']) {
      const answer = await ledgersWith(emulator.url, authorization);
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.text)).toEqual({ code: 'Unauthorized', message: expect.any(String) });
    }
  });

  it('does not accept a token signed for another seed', async ({ emulator }) => {
    const other = await startTestEmulator({ seed: 'another seed' });
    try {
      const foreign = other.partners[0];
      if (!foreign) throw new Error('no partner');
      const token = await requestToken(other.url, foreign);
      expect((await ledgersWith(emulator.url, `Bearer ${token}`)).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('token lifetime', () => {
  it('expires after the configured lifetime, and a new token works', async () => {
    // An emulator of its own: tokens of a second.
    const shortLived = await startTestEmulator({ tokenTtlSeconds: 1 });
    try {
      const partner = shortLived.partners[0];
      if (!partner) throw new Error('no demo partner');
      const token = await requestToken(shortLived.url, partner);
      expect((await ledgersWith(shortLived.url, `Bearer ${token}`)).status).toBe(200);
      // Expiry is on the wall clock (whole seconds): two seconds are always past it.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect((await ledgersWith(shortLived.url, `Bearer ${token}`)).status).toBe(401);
      const fresh = await requestToken(shortLived.url, partner);
      expect((await ledgersWith(shortLived.url, `Bearer ${fresh}`)).status).toBe(200);
    } finally {
      await shortLived.close();
    }
  });
});

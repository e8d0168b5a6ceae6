import { z } from 'zod';
import type { DemoPartner } from '../../src/emulator/index.ts';

/**
 * Upstream read by hand over plain HTTP as one partner, with one token for its life: apart from
 * the gateway's own clients and models, for checking the emulator itself and for working out
 * what the gateway must answer.
 */

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export async function requestToken(url: string, partner: DemoPartner): Promise<string> {
  const response = await fetch(`${url}/miami/v1/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${partner.clientId}:${partner.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const body = z.object({ access_token: z.string() }).parse(await response.json());
  return body.access_token;
}

export class PartnerClient {
  private token: Promise<string> | null = null;

  constructor(
    readonly url: string,
    readonly partner: DemoPartner,
  ) {}

  async get(path: string): Promise<RawAnswer> {
    this.token ??= requestToken(this.url, this.partner);
    const response = await fetch(`${this.url}${path}`, { headers: { authorization: `Bearer ${await this.token}` } });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  /** A 200 answer parsed with the model; anything else fails with the whole answer. */
  async json<T>(path: string, model: z.ZodType<T>): Promise<T> {
    const answer = await this.get(path);
    if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${answer.text}`);
    return model.parse(JSON.parse(answer.text));
  }
}

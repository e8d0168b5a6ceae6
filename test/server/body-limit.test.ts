import { describe, expect } from 'vitest';
import { it } from '../support/harness.ts';

/**
 * Every POST body is read through the gateway's own cap (`REQUEST_BODY_MAX_BYTES`), whatever its
 * content type: Yoga's own limit is off, so a document sent as `application/graphql` must be
 * capped here as a JSON body is, declared length or not.
 */

const maxBytes = 2_048;

/** A body sent in chunks, with no length declared. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      for (let at = 0; at < bytes.length; at += 512) controller.enqueue(bytes.slice(at, at + 512));
      controller.close();
    },
  });
}

describe('the request body cap', () => {
  it('reads a small document of any accepted type, and refuses a larger body of every type, declared or chunked', async ({ openGateway }) => {
    const gateway = await openGateway({ env: { REQUEST_BODY_MAX_BYTES: String(maxBytes) } });
    const post = (contentType: string, body: string | ReadableStream<Uint8Array>) =>
      gateway.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': contentType, accept: 'application/graphql-response+json', 'x-graphql-yoga-csrf': '1' },
        body,
        ...(typeof body === 'string' ? {} : { duplex: 'half' }),
      } as RequestInit);

    const small = await post('application/graphql', '{ __typename }');
    expect(small.status).toBe(200);
    expect(await small.json()).toEqual({ data: { __typename: 'Query' } });

    const large = `{ __typename ${' '.repeat(maxBytes)} }`;
    for (const [contentType, body] of [
      ['application/graphql', large],
      ['application/graphql', chunked(large)],
      ['application/json', JSON.stringify({ query: large })],
      ['application/json', chunked(JSON.stringify({ query: large }))],
    ] as const) {
      const refused = await post(contentType, body);
      expect(refused.status, contentType).toBe(413);
      expect(await refused.text()).toContain('QUERY_TOO_LARGE');
    }
  });
});

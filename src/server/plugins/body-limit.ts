import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * No request body larger than `maxBytes` is read: a declared length past it is refused before
 * reading, and a body that keeps coming (chunked, no length) is cut off as soon as it passes
 * it. Yoga alone would read up to 25 MB of JSON before any limit on documents could look at it.
 * Every POST body passes here, whatever its type, so Yoga's own limit is off
 * (`maxRequestBodySize: false`): it piped every body through a TransformStream, about 5 % of
 * the CPU of an answer served from the answer cache.
 */

function tooLarge(maxBytes: number) {
  return createGraphQLError(`The request body is larger than ${maxBytes} bytes.`, { extensions: { code: 'QUERY_TOO_LARGE', limit: 'body bytes', max: maxBytes, http: { status: 413 } } });
}

function badBody(message: string) {
  return createGraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

async function readCapped(request: Request, maxBytes: number): Promise<string> {
  const reader = request.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const jsonTypes = /^application\/(graphql-response\+json|graphql\+json|json)\b/i;

export function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (request.method !== 'POST') return;
      const declared = Number(request.headers.get('content-length') ?? Number.NaN);
      if (declared > maxBytes) throw tooLarge(maxBytes);
      if (!jsonTypes.test(request.headers.get('content-type') ?? '')) {
        // Another type Yoga reads (a document as `application/graphql`, a form): read capped, then handed to Yoga's parser.
        if (requestParser === undefined) return;
        const parse = requestParser;
        setRequestParser(async (body) =>
          parse(new fetchAPI.Request(body.url, { method: body.method, headers: body.headers, body: await readCapped(body, maxBytes) })),
        );
        return;
      }
      setRequestParser(async (body) => {
        const text = await readCapped(body, maxBytes);
        let params: unknown;
        try {
          params = JSON.parse(text);
        } catch {
          throw badBody('The request body is not JSON.');
        }
        if (params === null || typeof params !== 'object' || Array.isArray(params)) throw badBody('The request body must be one JSON object.');
        return params;
      });
    },
  };
}

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

/**
 * The portal's whole GraphQL client: a trusted document goes by its id (the hash codegen put in
 * the build), with the merchant's token. Plain `fetch` is enough for four documents and no cache.
 */

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; retryAfterSeconds?: number };
}

export interface Answer<Data> {
  data: Data | null;
  errors: GraphQLError[];
  /** The HTTP status when the gateway refused the request as a whole (401, 403, 429), else null. */
  refusedWith: number | null;
}

interface WithHash {
  __meta__?: { hash?: string };
}

export async function run<Data, Variables>(
  gatewayUrl: string,
  token: string,
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<Answer<Data>> {
  const documentId = (document as WithHash).__meta__?.hash;
  if (documentId === undefined) throw new Error('a document without its hash: run `npm run portal:codegen`');
  let response: Response;
  try {
    response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ documentId, variables }),
    });
  } catch {
    return { data: null, errors: [{ message: 'The gateway could not be reached.', extensions: { code: 'GATEWAY_UNREACHABLE' } }], refusedWith: null };
  }
  const body = (await response.json().catch(() => ({}))) as { data?: Data | null; errors?: GraphQLError[] };
  const refused = body.data === undefined || body.data === null;
  return { data: body.data ?? null, errors: body.errors ?? [], refusedWith: refused && !response.ok ? response.status : null };
}

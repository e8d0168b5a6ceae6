import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { Caller } from '../../tenancy/caller.ts';
import { documentHash } from '../trusted-documents.ts';

/**
 * Trusted documents by id: `documentId` (in the body, or the query string of a GET) or the
 * Apollo `persistedQuery` extension. A caller whose tenant has the role
 * `trusted-documents-only` (portal traffic) may send nothing else; every other caller may also
 * send documents of its own (developers in GraphiQL).
 */

function extractId(params: GraphQLParams & { documentId?: unknown }, request: Request): string | null {
  const persisted = params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  const candidate =
    typeof params.documentId === 'string'
      ? params.documentId
      : typeof persisted?.sha256Hash === 'string'
        ? persisted.sha256Hash
        : request.method === 'GET'
          ? new URL(request.url).searchParams.get('documentId')
          : null;
  return candidate === null ? null : (documentHash(candidate) ?? candidate);
}

export function useTrustedDocuments(documents: ReadonlyMap<string, string>, callerOf: (request: Request) => Caller): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (key) => documents.get(key) ?? null,
    extractPersistedOperationId: extractId,
    allowArbitraryOperations: (request) => !callerOf(request).roles.has('trusted-documents-only'),
    customErrors: {
      notFound: { message: 'No trusted document has this id.', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } } },
      persistedQueryOnly: {
        message: 'Your tenant may send trusted documents only: send a `documentId`, not a document.',
        extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 403 } },
      },
      keyNotFound: { message: 'The request names no trusted document.', extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 403 } } },
    },
  });
}

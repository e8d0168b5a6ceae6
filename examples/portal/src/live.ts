import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { GraphQLError } from './api.ts';

/**
 * A subscription over Server-Sent Events, the gateway's own transport: the trusted document's id
 * POSTed with `Accept: text/event-stream`, the answer read as it streams with plain `fetch`.
 * When the connection drops it subscribes again with the last event's `cursor` as `since`, and
 * the gateway tells first what happened in between: nothing is polled, nothing is lost.
 */

interface WithHash {
  __meta__?: { hash?: string };
}

interface Streamed<Data> {
  data?: Data | null;
  errors?: GraphQLError[];
}

const reconnectMs = 2_000;

export function listen<Data, Variables extends { since?: string | null }>(
  gatewayUrl: string,
  token: string,
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  on: { data(data: Data): void; error(errors: GraphQLError[]): void; cursorOf(data: Data): string | null },
): () => void {
  const documentId = (document as WithHash).__meta__?.hash;
  if (documentId === undefined) throw new Error('a document without its hash: run `npm run portal:codegen`');
  const controller = new AbortController();
  let since = variables.since ?? null;
  const once = async (): Promise<'again' | 'refused'> => {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ documentId, variables: { ...variables, since } }),
      signal: controller.signal,
    });
    if (!response.ok || response.body === null) return 'refused';
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      buffer += read.value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        if (!lines.includes('event: next')) continue;
        const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5)).join('\n');
        const result = JSON.parse(data) as Streamed<Data>;
        if (result.errors !== undefined && result.errors.length > 0) {
          on.error(result.errors);
          return 'refused';
        }
        if (result.data !== undefined && result.data !== null) {
          since = on.cursorOf(result.data) ?? since;
          on.data(result.data);
        }
      }
    }
    return 'again';
  };
  void (async () => {
    while (!controller.signal.aborted) {
      const outcome = await once().catch(() => 'again' as const);
      if (outcome === 'refused' || controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, reconnectMs));
    }
  })();
  return () => controller.abort();
}

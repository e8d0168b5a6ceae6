import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { z } from 'zod';

/**
 * A subscriber as a portal backend is one: a POST with `Accept: text/event-stream`, the answer
 * read as it streams with plain `fetch` (or `yoga.fetch`), each `next` event's data parsed and
 * kept in arrival order.
 */

const resultModel = z.object({
  data: z.record(z.string(), z.unknown()).nullable().optional(),
  errors: z.array(z.object({ message: z.string(), extensions: z.record(z.string(), z.unknown()).optional() }).loose()).optional(),
});
export type StreamedResult = z.infer<typeof resultModel>;

export type Send = (url: string, init: RequestInit) => Promise<Response> | Response;

export interface Subscriber<Result> {
  status: number;
  /** Every result received so far, in order. */
  results: Array<{ data?: Result | null; errors?: StreamedResult['errors']; at: number }>;
  /** Resolves once `count` results have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Whether the server ended the stream (`complete`, or the body closed). */
  ended(): boolean;
  close(): void;
}

export async function subscribe<Result, Variables>(
  send: Send,
  url: string,
  document: TypedDocumentNode<Result, Variables> | DocumentNode,
  variables: Variables,
  headers: Record<string, string> = {},
): Promise<Subscriber<Result>> {
  const controller = new AbortController();
  const response = await send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query: print(document), variables }),
    signal: controller.signal,
  });
  const results: Subscriber<Result>['results'] = [];
  const waiters = new Set<() => void>();
  let done = false;
  const body = response.body;
  if (body === null) throw new Error(`no body in the answer (HTTP ${response.status})`);
  const reader = body.getReader();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        const chunk = read.value;
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((line) => line.startsWith('event:'))?.slice(6).trim();
          const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n');
          if (event === 'next' && data !== '') {
            const parsed = resultModel.parse(JSON.parse(data));
            // The document's own type: the test wrote the document, the gateway answered it.
            results.push({ ...(parsed as { data?: Result | null; errors?: StreamedResult['errors'] }), at: performance.now() });
          }
          if (event === 'complete') done = true;
          for (const waiter of waiters) waiter();
        }
      }
    } catch {
      // Aborted by close(), or the connection dropped: either way the stream is over.
    }
    done = true;
    for (const waiter of waiters) waiter();
  })();
  return {
    status: response.status,
    results,
    ended: () => done,
    close: () => {
      // Cancelling the body is what an in-process `yoga.fetch` notices; aborting, a real socket.
      reader.cancel().catch(() => {});
      controller.abort();
    },
    waitFor: (count, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (results.length >= count) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          } else if (done) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`the stream ended after ${results.length} of ${count} results: ${JSON.stringify(results)}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${results.length} of ${count} results within ${timeoutMs} ms: ${JSON.stringify(results)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

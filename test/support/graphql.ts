import { z } from 'zod';
import type { Gateway } from '../../src/server/gateway.ts';

/**
 * What the suites share for calling a gateway in-process: the request a GraphQL client sends,
 * and the shape of the answer's errors. The `data` is left to each suite, which knows its
 * document.
 */

/** An error of an answer; `extensions` carries the code, the request id and the like. */
export const answeredErrorModel = z
  .object({
    message: z.string(),
    path: z.array(z.union([z.string(), z.number()])).optional(),
    extensions: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type AnsweredError = z.infer<typeof answeredErrorModel>;

/** An answer whose `data` the caller checks against its own document. */
export const answerModel = z.object({ data: z.unknown().optional(), errors: z.array(answeredErrorModel).optional() });

/** A document POSTed to the gateway through `yoga.fetch`, as a client sends it, without a port. */
export async function postGraphql(gateway: Gateway, query: string, variables: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return gateway.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
}

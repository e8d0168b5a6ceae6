import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { z } from 'zod';
import type { Gateway } from '../../src/server/gateway.ts';

/**
 * Calling a gateway in-process, as a GraphQL client would over HTTP but without a port:
 * `yoga.fetch` with a typed document from `test/gql`. `execute` wants data and fails with the
 * whole answer when there is any error; `request` hands back the whole answer for the tests that
 * expect errors.
 */

/** An error of an answer; `extensions` carries the code, the request id and the like. */
const answeredErrorModel = z
  .object({
    message: z.string(),
    path: z.array(z.union([z.string(), z.number()])).optional(),
    extensions: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type AnsweredError = z.infer<typeof answeredErrorModel>;

/** The envelope of an answer; the document's type (checked against the committed schema) is the contract of `data`. */
export const answerModelFor = <Result>() =>
  z.object({
    data: z.custom<Result>((value) => typeof value === 'object').nullish(),
    errors: z.array(answeredErrorModel).optional(),
  });

export interface GraphResponse<Result> {
  status: number;
  headers: Headers;
  data: Result | null;
  /** `[]` when the answer has none. */
  errors: AnsweredError[];
  /** From sending the request to having the whole answer. */
  ms: number;
}

/** A typed document, or a plain one where a test builds its document (limits, introspection). */
export type AnyDocument<Result, Variables> = TypedDocumentNode<Result, Variables> | DocumentNode | string;

export interface GraphClient {
  /** The data of an answer without errors; throws with the whole answer otherwise. */
  execute<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables?: Variables, headers?: Record<string, string>): Promise<Result>;
  /** The whole answer, errors and all. */
  request<Result = unknown, Variables = Record<string, unknown>>(
    document: AnyDocument<Result, Variables>,
    variables?: Variables,
    headers?: Record<string, string>,
  ): Promise<GraphResponse<Result>>;
}

/** `yoga.fetch` in this process, or `fetch` over real HTTP. */
type Send = (url: string, init: RequestInit) => Promise<Response> | Response;

/** A document POSTed to the gateway, as a client sends it. */
async function postGraphql(send: Send, url: string, query: string, variables: unknown, headers: Record<string, string>): Promise<Response> {
  return await send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
}

export function graphClient(gateway: Gateway): GraphClient {
  return graphClientAt('http://localhost/graphql', (url, init) => gateway.yoga.fetch(url, init));
}

/** A client of a gateway listening on a port (another process): real HTTP, the same answers. */
export function httpGraphClient(url: string): GraphClient {
  return graphClientAt(url, fetch);
}

function graphClientAt(url: string, send: Send): GraphClient {
  const request = async <Result, Variables>(
    document: AnyDocument<Result, Variables>,
    variables?: Variables,
    headers: Record<string, string> = {},
  ): Promise<GraphResponse<Result>> => {
    const startedAt = performance.now();
    const response = await postGraphql(send, url, typeof document === 'string' ? document : print(document), variables ?? {}, headers);
    const envelope = answerModelFor<Result>().parse(JSON.parse(await response.text()));
    const ms = performance.now() - startedAt;
    return { status: response.status, headers: response.headers, data: envelope.data ?? null, errors: envelope.errors ?? [], ms };
  };
  return {
    request,
    async execute(document, variables, headers) {
      const response = await request(document, variables, headers);
      if (response.errors.length > 0 || response.status !== 200 || response.data === null) {
        const { status, data, errors } = response;
        throw new Error(`GraphQL answer with errors (HTTP ${status}):\n${JSON.stringify({ data, errors }, null, 2)}`);
      }
      return response.data;
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const requestIdHeader = 'x-request-id';
const gatewayIdHeader = 'x-gateway-request-id';
/** An incoming id is kept only when it is short and plain, so it cannot smuggle anything into logs. */
const acceptableRequestId = /^[\w.:-]{1,128}$/;

export interface RequestIds {
  /** Our id of the request: in every log line, error and trace of it. Never the caller's. */
  of(request: Request): string;
  /** The caller's own id (`x-request-id`), when it sent a plain one: logged beside ours, echoed back. */
  callerIdOf(request: Request): string | null;
  plugin: Plugin;
}

/**
 * One id per HTTP request, made here, so a caller cannot choose what the logs call its
 * request. A caller's own `x-request-id` is kept beside it and echoed back; ours is answered
 * as `x-gateway-request-id` (and as `x-request-id` when the caller sent none).
 */
export function requestIds(): RequestIds {
  const ids = new WeakMap<Request, string>();
  const of = (request: Request): string => {
    let id = ids.get(request);
    if (id === undefined) {
      id = randomUUID();
      ids.set(request, id);
    }
    return id;
  };
  const callerIdOf = (request: Request): string | null => {
    const incoming = request.headers.get(requestIdHeader);
    return incoming !== null && acceptableRequestId.test(incoming) ? incoming : null;
  };
  return {
    of,
    callerIdOf,
    plugin: {
      onResponse: ({ request, response }) => {
        response.headers.set(gatewayIdHeader, of(request));
        response.headers.set(requestIdHeader, callerIdOf(request) ?? of(request));
      },
    },
  };
}

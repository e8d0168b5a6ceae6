import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const requestIdHeader = 'x-request-id';
/** An incoming id is echoed only when it is short and plain, so it cannot smuggle anything into logs. */
const acceptableRequestId = /^[\w.:-]{1,128}$/;

/** One id per HTTP request: the caller's, when it sent a usable one, or a new one. */
export function requestIds(): { of(request: Request): string; plugin: Plugin } {
  const ids = new WeakMap<Request, string>();
  const of = (request: Request): string => {
    let id = ids.get(request);
    if (id === undefined) {
      const incoming = request.headers.get(requestIdHeader);
      id = incoming !== null && acceptableRequestId.test(incoming) ? incoming : randomUUID();
      ids.set(request, id);
    }
    return id;
  };
  return { of, plugin: { onResponse: ({ request, response }) => response.headers.set(requestIdHeader, of(request)) } };
}

import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../logger.ts';
import { openCaller, type Caller } from '../../tenancy/caller.ts';
import type { Identifier } from '../../tenancy/identify.ts';

/**
 * Caller identity, decided once per request before anything is parsed or read. A request to
 * the GraphQL endpoint without a valid identity is answered 401 with a `WWW-Authenticate`
 * challenge and the code `UNAUTHENTICATED`, and reads nothing. Why it was refused (expired,
 * forged, unknown key) goes to the log, never into the answer. The GraphiQL page itself is a
 * static page and loads without identity; every query it sends needs one.
 */

const realm = 'vmp-reporting-gateway';

function isGraphiQLPage(request: Request, url: URL): boolean {
  return request.method === 'GET' && !url.searchParams.has('query') && (request.headers.get('accept') ?? '').includes('text/html');
}

export interface Authentication {
  plugin: Plugin;
  /** The caller of a request the plugin let through. */
  callerOf(request: Request): Caller;
}

export function useAuthentication(identifier: Identifier, logger: Logger, requestIdOf: (request: Request) => string, endpoint = '/graphql'): Authentication {
  const callers = new WeakMap<Request, Caller>();
  const plugin: Plugin = {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint || isGraphiQLPage(request, url)) return;
      const outcome = await identifier.identify(request.headers.get('authorization'));
      if ('caller' in outcome) {
        callers.set(request, outcome.caller);
        return;
      }
      logger.info('request refused: no valid caller identity', { requestId: requestIdOf(request), reason: outcome.refused });
      const challenge = outcome.challenge === 'missing' ? `Bearer realm="${realm}"` : `Bearer realm="${realm}", error="invalid_token"`;
      const message =
        outcome.challenge === 'missing'
          ? 'Authentication required: send your API key or JWT as `Authorization: Bearer <token>`.'
          : 'The credentials sent are not valid (unknown, expired or not for this gateway).';
      endResponse(
        fetchAPI.Response.json(
          { errors: [{ message, extensions: { code: 'UNAUTHENTICATED', requestId: requestIdOf(request) } }] },
          { status: 401, headers: { 'www-authenticate': challenge, 'x-request-id': requestIdOf(request) } },
        ),
      );
    },
  };
  return {
    plugin,
    callerOf: (request) => {
      const caller = callers.get(request);
      if (caller !== undefined) return caller;
      // Only requests the plugin never saw get here (another path): nothing of the graph runs for them.
      return openCaller;
    },
  };
}

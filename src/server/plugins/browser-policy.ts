import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { BrowserPolicy } from '../../config.ts';

/**
 * What a web page can make a visitor's browser do with the gateway. Cross-origin reads are for
 * the listed origins only (CORS, in `gateway.ts`); requests a browser sends without a preflight
 * (GET, form posts) need a header no form can set (CSRF prevention); documents travel by POST,
 * GET being kept for trusted documents, which cannot be crafted; and bound to loopback, the
 * gateway answers only to loopback host names, so a page cannot reach a developer's gateway by
 * rebinding its own DNS name to 127.0.0.1.
 */

function refusal(fetchAPI: { Response: typeof Response }, status: number, message: string, code: string, headers: Record<string, string> = {}) {
  return fetchAPI.Response.json({ errors: [{ message, extensions: { code } }] }, { status, headers });
}

function useHostCheck(allowed: readonly string[] | null): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      // The request's URL is built from its Host header (`[::1]` keeps its brackets).
      if (allowed === null || allowed.includes(url.hostname.toLowerCase())) return;
      endResponse(refusal(fetchAPI, 403, 'This gateway does not answer to that host name (see ALLOWED_HOSTS).', 'FORBIDDEN_HOST'));
    },
  };
}

/** GET carries trusted documents only: an arbitrary document in a URL is a link any page can make. */
function useGetPolicy(endpoint: string): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' || url.pathname !== endpoint || !url.searchParams.has('query')) return;
      endResponse(
        refusal(fetchAPI, 405, 'Send GraphQL documents with POST; GET is for trusted documents by their id.', 'METHOD_NOT_ALLOWED', { allow: 'POST' }),
      );
    },
    onRequestParse({ request, url }) {
      if (request.method !== 'GET') return;
      for (const name of ['variables', 'extensions']) {
        const value = url.searchParams.get(name);
        if (value === null) continue;
        try {
          JSON.parse(value);
        } catch {
          throw createGraphQLError(`The \`${name}\` parameter is not JSON.`, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
      }
    },
  };
}

export function useBrowserPolicy(policy: BrowserPolicy, endpoint = '/graphql'): Plugin[] {
  return [useHostCheck(policy.allowedHosts), useGetPolicy(endpoint), useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] })];
}

/** Yoga's CORS options: nothing reflected, credentials only when asked for, for the listed origins only. */
export function corsOptions(policy: BrowserPolicy) {
  if (policy.corsOrigins.length === 0) return false as const;
  return {
    origin: policy.corsOrigins,
    credentials: policy.corsCredentials,
    methods: ['POST', 'GET'],
    allowedHeaders: ['content-type', 'authorization', 'x-request-id', 'x-request-timeout-ms', 'x-graphql-yoga-csrf'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  };
}

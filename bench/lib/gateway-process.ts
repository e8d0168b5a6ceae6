import { ServerProcess } from './processes.ts';
import type { HttpRequest } from './load.ts';

/** The gateway as `npm start` runs it (`src/main.ts`), in front of a given upstream. */

export interface GatewayProcessOptions {
  upstreamUrl: string;
  clientId: string;
  clientSecret: string;
  cpu: number | null;
  /** More environment (`REDIS_URL`, limits); by default the in-memory cache. */
  env?: Record<string, string>;
}

export async function startGatewayProcess(options: GatewayProcessOptions): Promise<ServerProcess> {
  return ServerProcess.start({
    label: 'gateway',
    entry: 'src/main.ts',
    env: {
      VIPPS_BASE_URL: options.upstreamUrl,
      VIPPS_CLIENT_ID: options.clientId,
      VIPPS_CLIENT_SECRET: options.clientSecret,
      HOST: '127.0.0.1',
      PORT: '0',
      // An empty variable is unset: a REDIS_URL in the caller's shell must not change what is measured.
      REDIS_URL: '',
      // A gateway in front of a real upstream needs callers configured; the benchmarks measure the open path.
      AUTH_MODE: 'open',
      ...options.env,
    },
    cpu: options.cpu,
    listening: /GraphiQL: (http:\/\/\S+)/,
  });
}

/** A GraphQL POST to a gateway, as a client sends it; the same request object serves load runs. */
export function graphqlRequest(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): HttpRequest {
  return {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  };
}

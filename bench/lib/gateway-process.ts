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
  /** Names the process in messages; `gateway` when left out. */
  label?: string;
  /** Another checkout whose gateway to start (see `baselineCheckout`); this one when left out. */
  checkout?: string;
  /** The compiled gateway as `npm start` runs it (`dist/`, plain Node); the TypeScript source under tsx when left out. */
  compiled?: boolean;
}

/**
 * `BENCH_BASELINE`: a checkout of another version (a worktree of main, with its dependencies
 * installed), whose gateway the scenarios that support it load beside this one, in the same
 * run, so that a change is measured as a ratio against what it changes.
 */
export function baselineCheckout(): string | undefined {
  const checkout = process.env.BENCH_BASELINE?.trim();
  return checkout === undefined || checkout === '' ? undefined : checkout;
}

export async function startGatewayProcess(options: GatewayProcessOptions): Promise<ServerProcess> {
  return ServerProcess.start({
    label: options.label ?? 'gateway',
    ...(options.compiled === true ? { entry: 'scripts/start.mjs', plain: true } : { entry: 'src/main.ts' }),
    ...(options.checkout === undefined ? {} : { checkout: options.checkout }),
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
      // The scenarios measure executing documents; the whole-answer cache is a row of its own where it is asked for.
      ANSWER_CACHE: 'false',
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

/** This checkout's gateway and, with `BENCH_BASELINE` set, the baseline's beside it, both pushed to `started` to be stopped. */
export async function startGatewayAndBaseline(options: GatewayProcessOptions, started: ServerProcess[]): Promise<{ gateway: ServerProcess; baseline?: ServerProcess }> {
  const gateway = await startGatewayProcess(options);
  started.push(gateway);
  const checkout = baselineCheckout();
  if (checkout === undefined) return { gateway };
  const baseline = await startGatewayProcess({ ...options, label: 'baseline', checkout });
  started.push(baseline);
  return { gateway, baseline };
}

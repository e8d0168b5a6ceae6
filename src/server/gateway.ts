import { randomUUID } from 'node:crypto';
import { createYoga, useReadinessCheck, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { exampleQuery } from './graphiql.ts';
import { createContext, schema, type Context } from '../schema/index.ts';
import { useCostCheck, useDocumentChecks, useErrorMapping } from './plugins.ts';
import type { Cache } from '../sources/cache/cache.ts';
import { isUpstreamError, type Upstream } from '../sources/index.ts';
import { Deadline, withDeadline } from '../sources/http/resilience/index.ts';

export interface GatewayDeps {
  upstream: Upstream;
  /** Checked by `/ready` when Redis is configured; not used by the graph yet. */
  cache?: Cache;
  logger: Logger;
  /** A ledger and date GraphiQL's first tab shows; the embedded emulator's demo ledger. */
  example?: { ledgerId: string; date: string };
}

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, Context>;
  close(): Promise<void>;
}

const requestIdHeader = 'x-request-id';
/** An incoming id is echoed only when it is short and plain, so it cannot smuggle anything into logs. */
const acceptableRequestId = /^[\w.:-]{1,128}$/;

/** One id per HTTP request: the caller's, when it sent a usable one, or a new one. */
function requestIds(): { of(request: Request): string; plugin: Plugin } {
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

const deadlineHeader = 'x-request-timeout-ms';

/** The configured deadline, or the caller's shorter or longer one, capped by the configuration. */
function deadlineOf(request: Request, limits: Config['limits']): Deadline {
  const asked = request.headers.get(deadlineHeader);
  const askedMs = asked !== null && /^\d{1,9}$/.test(asked.trim()) ? Number(asked.trim()) : 0;
  const ms = askedMs > 0 ? Math.min(askedMs, limits.maxRequestDeadlineMs) : limits.requestDeadlineMs;
  return Deadline.after(ms, { cancelledBy: request.signal });
}

/**
 * Executes each operation under its request's deadline: every upstream call, retry and wait
 * made for it gives up when the deadline passes, and the answer carries what was known by then.
 */
function useDeadline(): Plugin<{ deadline: Deadline }> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const { deadline } = args.contextValue;
      setExecuteFn((execution) => withDeadline(deadline, () => executeFn(execution)));
      return { onExecuteDone: () => deadline.dispose() };
    },
  };
}

/**
 * `/ready`: the gateway can serve when upstream hands out a token and, with Redis configured,
 * Redis answers. The body names each check and its outcome, never an upstream message.
 */
const readinessDeadlineMs = 3_000;

function readiness(config: Config, deps: GatewayDeps): Plugin {
  return useReadinessCheck({
    endpoint: '/ready',
    check: async ({ fetchAPI }) => {
      const checks: Record<string, string> = {};
      // A probe must answer promptly: a token that takes longer than this is "not ready".
      const deadline = Deadline.after(readinessDeadlineMs);
      try {
        await withDeadline(deadline, () => deps.upstream.http.tokens.get());
        checks.upstreamToken = 'ok';
      } catch (error) {
        checks.upstreamToken = isUpstreamError(error) ? error.code : 'failed';
        deps.logger.warn('readiness: no upstream token', { error });
      } finally {
        deadline.dispose();
      }
      if (config.redis !== null) {
        checks.redis = deps.cache === undefined ? 'not checked' : (await deps.cache.ping()) ? 'ok' : 'unreachable';
      }
      const ready = Object.values(checks).every((outcome) => outcome === 'ok' || outcome === 'not checked');
      return fetchAPI.Response.json({ status: ready ? 'ready' : 'unavailable', checks }, { status: ready ? 200 : 503 });
    },
  });
}

/** Builds the GraphQL gateway from its dependencies; listening is the caller's business. */
export function createGateway(config: Config, deps: GatewayDeps): Gateway {
  const ids = requestIds();
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    // Masking stays on: every error not written for the caller is answered as "Unexpected error.".
    maskedErrors: true,
    logging: {
      debug: (...args) => deps.logger.debug('yoga', { args }),
      info: (...args) => deps.logger.info('yoga', { args }),
      warn: (...args) => deps.logger.warn('yoga', { args }),
      error: (...args) => deps.logger.error('yoga', { args }),
    },
    graphiql: {
      title: 'Vipps MobilePay Reporting Gateway',
      defaultTabs: [exampleQuery(deps.example)],
    },
    context: ({ request }) => createContext(deps.upstream, ids.of(request), deps.logger, deadlineOf(request, config.limits)),
    plugins: [ids.plugin, readiness(config, deps), useDocumentChecks(), useDeadline(), useErrorMapping(deps.logger), useCostCheck(config.limits.maxQueryCost)],
  });
  return {
    yoga,
    close: async () => {
      await yoga.dispose();
    },
  };
}

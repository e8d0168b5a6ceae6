import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { graphiql } from './graphiql.ts';
import { createContext, schema, type Context } from '../schema/index.ts';
import { useBodyLimit } from './plugins/body-limit.ts';
import { corsOptions, useBrowserPolicy } from './plugins/browser-policy.ts';
import { useCompiledExecution } from './plugins/compiled-execution.ts';
import { useCostCheck } from './plugins/cost-check.ts';
import { useRequestScope } from './plugins/request-scope.ts';
import { useTenantTraffic } from './plugins/tenant-traffic.ts';
import { useTrustedDocuments } from './plugins/trusted-documents.ts';
import { useDocumentLimits } from './plugins/document-limits.ts';
import { useErrorMapping } from './plugins/error-mapping.ts';
import { livenessEndpoints, useProbes } from './plugins/readiness.ts';
import { requestIds } from './plugins/request-id.ts';
import type { Cache } from '../sources/cache/cache.ts';
import type { Upstream } from '../sources/index.ts';
import type { Caller } from '../tenancy/caller.ts';
import { openIdentifier, type Identifier } from '../tenancy/identify.ts';
import type { TenantRateLimits } from '../tenancy/rate-limits.ts';
import { useAuthentication } from './plugins/authentication.ts';
import { useAnswerCache } from './plugins/answer-cache.ts';
import { AnswerStore } from '../sources/cache/answers.ts';
import { MemoryCache } from '../sources/cache/memory.ts';
import { useJournalCsv } from './routes/journal-csv.ts';
import type { Telemetry } from '../telemetry/index.ts';
import type { LiveHub } from '../live/hub.ts';
import { telemetryPlugins } from '../telemetry/plugins.ts';

export interface GatewayDeps {
  /** The upstream of the default accounting key set. */
  upstream: Upstream;
  /** Every key set by name (`default` included); the default one alone when left out. */
  keySets?: ReadonlyMap<string, Upstream>;
  /** Who is calling; everyone is the open caller when left out (open mode). */
  identifier?: Identifier;
  /** Per-tenant budgets; none when left out. */
  rateLimits?: TenantRateLimits;
  /** Trusted documents by hash; none when left out. */
  trustedDocuments?: ReadonlyMap<string, string>;
  /** Checked by the readiness probe when Redis is configured; not used by the graph yet. */
  cache?: Cache;
  logger: Logger;
  /**
   * The upstream's now, where GraphiQL's example looks for the newest closed ledger date: the
   * embedded emulator's fixed clock (`EMULATOR_NOW`); the real time when left out.
   */
  now?: () => number;
  /** Metrics and traces; none when left out. */
  telemetry?: Telemetry;
  /** Where subscriptions hear live events; no subscriptions are served when left out. */
  live?: LiveHub;
}

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, Context>;
  close(): Promise<void>;
}

/** Whole answers in Redis, shared by the replicas, when the cache is Redis; in this process alone otherwise. */
function answerCacheOf(config: Config, deps: GatewayDeps, upstreamOf: (caller: Caller) => Upstream) {
  const shared = deps.cache === undefined || deps.cache instanceof MemoryCache ? null : deps.cache;
  const store = new AnswerStore({ shared, maxEntryBytes: config.answerCache.maxEntryBytes, memoryBytes: config.answerCache.memoryBytes });
  return { store, release: config.release, upstreamOf: (caller: Caller) => upstreamOf(caller).fingerprint };
}

/** Builds the GraphQL gateway from its dependencies; listening is the caller's business. */
export function createGateway(config: Config, deps: GatewayDeps): Gateway {
  const ids = requestIds();
  // In open mode there is no caller to trust or not: the deadline header works as configured.
  const scopes = useRequestScope(config.limits, config.auth.mode === 'open');
  const authentication = useAuthentication(deps.identifier ?? openIdentifier, deps.logger, ids.of);
  const upstreamOf = (caller: Caller): Upstream => {
    const upstream = caller.keySet === 'default' ? deps.upstream : deps.keySets?.get(caller.keySet);
    // The tenants file is checked against the key sets at start: this is a programming error.
    if (upstream === undefined) throw new Error(`no accounting key set "${caller.keySet}"`);
    return upstream;
  };
  // The page loads without a caller identity: only in open mode may it name a ledger.
  const editor = graphiql({ ...deps, lookUpExample: config.auth.mode === 'open' });
  const yoga: YogaServerInstance<Record<string, unknown>, Context> = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: livenessEndpoints.yoga,
    landingPage: false,
    cors: corsOptions(config.browsers),
    // No file uploads here: multipart is only a way in for requests without a preflight.
    multipart: false,
    // Every POST body is capped by `useBodyLimit`, tighter than Yoga's own limit would be.
    maxRequestBodySize: false,
    // Masking stays on: every error not written for the caller is answered as "Unexpected error.",
    // and never with its stack, whatever NODE_ENV says (Yoga adds it in development).
    maskedErrors: { isDev: false },
    logging: {
      debug: (...args) => deps.logger.debug('yoga', { args }),
      info: (...args) => deps.logger.info('yoga', { args }),
      warn: (...args) => deps.logger.warn('yoga', { args }),
      error: (...args) => deps.logger.error('yoga', { args }),
    },
    graphiql: config.exposure.graphiql && editor.options,
    renderGraphiQL: editor.render,
    context: ({ request }) => {
      const caller = authentication.callerOf(request);
      const upstream = upstreamOf(caller);
      const context = createContext(upstream, ids.of(request), caller);
      if (deps.live === undefined) return context;
      const fresh = () => createContext(upstream, ids.of(request), caller);
      return { ...context, live: { hub: deps.live, fingerprint: upstream.fingerprint, tenant: caller.tenantId ?? '', freshContext: fresh } };
    },
    plugins: [
      ids.plugin,
      // Before every other check: it asks the graph through `yoga.fetch`, and each of those requests passes them all.
      useJournalCsv((url, init) => yoga.fetch(url, init)),
      ...useBrowserPolicy(config.browsers),
      useBodyLimit(config.document.maxBodyBytes),
      authentication.plugin,
      useTenantTraffic({
        rateLimits: deps.rateLimits ?? null,
        defaults: config.auth.rates,
        callerOf: authentication.callerOf,
        scopes,
        logger: deps.logger,
        requestIdOf: ids.of,
        callerRequestIdOf: ids.callerIdOf,
        metrics: deps.telemetry?.metrics ?? null,
      }),
      useTrustedDocuments(deps.trustedDocuments ?? new Map(), authentication.callerOf),
      ...useProbes(config, deps),
      ...useDocumentLimits(config.document),
      ...(config.exposure.introspection ? [] : [useDisableIntrospection()]),
      ...(config.exposure.fieldSuggestions ? [] : [blockFieldSuggestionsPlugin()]),
      // Before the request scope: the scope wraps whichever execute function is in place when its
      // hook runs, so the compiled one must already be.
      useCompiledExecution(),
      scopes.plugin,
      useErrorMapping(deps.logger),
      useCostCheck(config.limits.maxQueryCost, { mirrored: deps.upstream.report.mirror !== null }),
      // Last: the metrics see each answer's errors as mapped above, with their codes.
      ...(deps.telemetry === undefined ? [] : telemetryPlugins(deps.telemetry, config, schema)),
      // After every other plugin's onExecute: a kept answer skips execution and nothing else.
      ...(config.answerCache.enabled ? [useAnswerCache(answerCacheOf(config, deps, upstreamOf))] : []),
    ],
  });
  return {
    yoga,
    close: async () => {
      await yoga.dispose();
    },
  };
}

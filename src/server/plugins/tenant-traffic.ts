import { getOperationAST, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import type { AuthConfig } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import type { Context } from '../../schema/context.ts';
import type { Caller } from '../../tenancy/caller.ts';
import type { TenantRateLimits, TenantRates } from '../../tenancy/rate-limits.ts';
import type { GatewayMetrics, TrafficOutcome } from '../../telemetry/metrics.ts';
import { isKeptAnswer } from './answer-cache.ts';
import type { RequestScopes } from './request-scope.ts';

/**
 * Per tenant: the budgets per minute (requests, and the upstream calls they cause), shared by
 * every replica through Redis, answered 429 with `Retry-After` when spent; and one access line
 * per GraphQL request, which is also its audit line: who asked, what it read, how many upstream
 * calls it cost, how it ended (`outcome`, HTTP `status`) and how long it took. Requests refused
 * before they ran (no identity, budget spent, a document that does not parse) get theirs too.
 * The line holds no secret and no amount.
 */

export interface TenantTrafficDeps {
  rateLimits: TenantRateLimits | null;
  defaults: AuthConfig['rates'];
  callerOf(request: Request): Caller;
  scopes: RequestScopes;
  logger: Logger;
  requestIdOf(request: Request): string;
  callerRequestIdOf(request: Request): string | null;
  /** Requests, upstream calls and refusals per tenant; null when metrics are off. */
  metrics: GatewayMetrics | null;
}

/** How many ledger ids an access line lists before it only counts them. */
const listedLedgers = 50;

function ratesOf(caller: Caller, defaults: TenantRates): TenantRates {
  return { ...defaults, ...caller.rates };
}

function outcomeOf(result: ExecutionResult | AsyncIterable<unknown>): TrafficOutcome {
  if (isAsyncIterable(result)) return 'stream';
  if (result.errors === undefined || result.errors.length === 0) return 'ok';
  return result.data == null ? 'failed' : 'partial';
}

/** What the execution of a request added to its access line. */
interface Executed {
  operation: string | null;
  ledgers: string[];
  dates: number;
  refusedReads: number;
  upstreamCalls: number;
  /** Answered from the whole-answer cache, or executed. */
  answered: 'kept' | 'executed';
  outcome: TrafficOutcome;
}

export function useTenantTraffic(deps: TenantTrafficDeps): Plugin<YogaInitialContext & Context> {
  const startedAt = new WeakMap<Request, number>();
  const executed = new WeakMap<Request, Executed>();
  const refusedBy = new WeakMap<Request, string>();
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/graphql') return;
      startedAt.set(request, performance.now());
      const { rateLimits } = deps;
      if (rateLimits === null) return;
      const caller = deps.callerOf(request);
      if (caller.tenantId === null) return;
      const admission = await rateLimits.admit(caller.tenantId, ratesOf(caller, deps.defaults));
      if (admission.admitted) return;
      const requestId = deps.requestIdOf(request);
      refusedBy.set(request, admission.limit);
      deps.metrics?.rateLimited(caller.tenantId, admission.limit);
      endResponse(
        fetchAPI.Response.json(
          {
            errors: [
              {
                message: `Your tenant's ${admission.limit} for this minute are spent; try again in ${admission.retryAfterSeconds} s.`,
                extensions: { code: 'RATE_LIMITED', limit: admission.limit, retryAfterSeconds: admission.retryAfterSeconds, requestId },
              },
            ],
          },
          { status: 429, headers: { 'retry-after': String(admission.retryAfterSeconds), 'x-request-id': requestId } },
        ),
      );
    },
    onExecute({ args }) {
      const context = args.contextValue;
      return {
        async onExecuteDone({ result }) {
          const { caller, reads } = context;
          const upstreamCalls = deps.scopes.of(context)?.upstreamCalls ?? 0;
          executed.set(context.request, {
            operation: args.operationName ?? getOperationAST(args.document, args.operationName)?.name?.value ?? null,
            ledgers: [...reads.ledgers],
            dates: reads.dates.size,
            refusedReads: reads.refused,
            upstreamCalls,
            answered: isKeptAnswer(result) ? 'kept' : 'executed',
            outcome: outcomeOf(result),
          });
          // Charged before the answer leaves, so the tenant's next request, on any replica, is
          // admitted against what this one spent (one Redis round trip, bounded by its timeout).
          if (caller.tenantId !== null) await deps.rateLimits?.charge(caller.tenantId, ratesOf(caller, deps.defaults), upstreamCalls);
        },
      };
    },
    onResponse({ request, response }) {
      const started = startedAt.get(request);
      const run = executed.get(request);
      // The GraphiQL page is a page, not a request of the graph.
      if (started === undefined || (run === undefined && (response.headers.get('content-type') ?? '').includes('text/html'))) return;
      const caller = deps.callerOf(request);
      const outcome = run?.outcome ?? 'refused';
      deps.metrics?.request(caller.tenantId, outcome, run?.upstreamCalls ?? 0);
      deps.logger.info('access', {
        requestId: deps.requestIdOf(request),
        callerRequestId: deps.callerRequestIdOf(request),
        tenant: caller.tenantId,
        subject: caller.subject,
        via: caller.via,
        operation: run?.operation ?? null,
        ledgers: run?.ledgers.slice(0, listedLedgers) ?? [],
        ledgerCount: run?.ledgers.length ?? 0,
        dates: run?.dates ?? 0,
        refusedReads: run?.refusedReads ?? 0,
        upstreamCalls: run?.upstreamCalls ?? 0,
        answered: run?.answered ?? null,
        outcome,
        ...(refusedBy.has(request) ? { limit: refusedBy.get(request) } : {}),
        status: response.status,
        ms: Math.round(performance.now() - started),
      });
    },
  };
}

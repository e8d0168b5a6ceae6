import { getOperationAST, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import type { AuthConfig } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import type { Context } from '../../schema/context.ts';
import type { Caller } from '../../tenancy/caller.ts';
import type { TenantRateLimits, TenantRates } from '../../tenancy/rate-limits.ts';
import type { RequestScopes } from './request-scope.ts';

/**
 * Per tenant: the budgets per minute (requests, and the upstream calls they cause), shared by
 * every replica through Redis, answered 429 with `Retry-After` when spent; and one audit line
 * per operation: who asked, what it read, how many upstream calls it cost, how it ended. The
 * line holds no secret and no amount.
 */

export interface TenantTrafficDeps {
  rateLimits: TenantRateLimits | null;
  defaults: AuthConfig['rates'];
  callerOf(request: Request): Caller;
  scopes: RequestScopes;
  logger: Logger;
  requestIdOf(request: Request): string;
  callerRequestIdOf(request: Request): string | null;
}

/** How many ledger ids an audit line lists before it only counts them. */
const listedLedgers = 50;

function ratesOf(caller: Caller, defaults: TenantRates): TenantRates {
  return { ...defaults, ...caller.rates };
}

function outcomeOf(result: ExecutionResult | AsyncIterable<unknown>): string {
  if (isAsyncIterable(result)) return 'stream';
  if (result.errors === undefined || result.errors.length === 0) return 'ok';
  return result.data == null ? 'failed' : 'partial';
}

export function useTenantTraffic(deps: TenantTrafficDeps): Plugin<YogaInitialContext & Context> {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const { rateLimits } = deps;
      if (rateLimits === null || url.pathname !== '/graphql') return;
      const caller = deps.callerOf(request);
      if (caller.tenantId === null) return;
      const admission = await rateLimits.admit(caller.tenantId, ratesOf(caller, deps.defaults));
      if (admission.admitted) return;
      const requestId = deps.requestIdOf(request);
      deps.logger.info('request refused: tenant budget spent', { requestId, tenant: caller.tenantId, limit: admission.limit });
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
      const startedAt = performance.now();
      return {
        async onExecuteDone({ result }) {
          const { caller, reads } = context;
          const upstreamCalls = deps.scopes.of(context)?.upstreamCalls ?? 0;
          const ledgers = [...reads.ledgers];
          deps.logger.info('audit', {
            requestId: context.requestId,
            callerRequestId: deps.callerRequestIdOf(context.request),
            tenant: caller.tenantId,
            subject: caller.subject,
            via: caller.via,
            operation: args.operationName ?? getOperationAST(args.document, args.operationName)?.name?.value ?? null,
            ledgers: ledgers.slice(0, listedLedgers),
            ledgerCount: ledgers.length,
            dates: reads.dates.size,
            refusedReads: reads.refused,
            upstreamCalls,
            outcome: outcomeOf(result),
            ms: Math.round(performance.now() - startedAt),
          });
          // Charged before the answer leaves, so the tenant's next request, on any replica, is
          // admitted against what this one spent (one Redis round trip, bounded by its timeout).
          if (caller.tenantId !== null) await deps.rateLimits?.charge(caller.tenantId, ratesOf(caller, deps.defaults), upstreamCalls);
        },
      };
    },
  };
}

import type { Runtime } from '../compose.ts';
import { openIdentifier, tenantIdentifier } from '../tenancy/identify.ts';
import { TenantRateLimits } from '../tenancy/rate-limits.ts';
import { createGateway, type Gateway, type GatewayDeps } from './gateway.ts';

/**
 * The gateway of a composed runtime, as `npm start` serves it: its key sets, its callers (the
 * tenants, or everyone in open mode) and their budgets.
 */
export function gatewayFromRuntime(runtime: Runtime, extra: Pick<GatewayDeps, 'now'> = {}): Gateway {
  const { config, logger, upstream, keySets, cache, tenants, redis, trustedDocuments, telemetry, live } = runtime;
  const identifier = tenants === null ? openIdentifier : tenantIdentifier(config.auth, tenants);
  const rateLimits = tenants === null ? undefined : new TenantRateLimits(redis, logger);
  return createGateway(config, {
    upstream,
    keySets,
    identifier,
    cache,
    logger,
    trustedDocuments,
    telemetry,
    live,
    ...(rateLimits === undefined ? {} : { rateLimits }),
    ...extra,
  });
}

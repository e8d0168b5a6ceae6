import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { Config } from '../../config.ts';
import type { Context } from '../../schema/context.ts';
import { Deadline, withRequest, type RequestScope } from '../../sources/http/resilience/index.ts';

const deadlineHeader = 'x-request-timeout-ms';

/**
 * The configured deadline, or the caller's own (`x-request-timeout-ms`). Every caller may
 * shorten it; only a portal backend (an API key) may lengthen it, up to the configured maximum:
 * a browser or an anonymous caller cannot hold upstream connections longer than the default.
 */
export function deadlineMsOf(request: Request, limits: Config['limits'], mayLengthen = false): number {
  const asked = request.headers.get(deadlineHeader);
  const askedMs = asked !== null && /^\d{1,9}$/.test(asked.trim()) ? Number(asked.trim()) : 0;
  const cap = mayLengthen ? limits.maxRequestDeadlineMs : limits.requestDeadlineMs;
  return askedMs > 0 ? Math.min(askedMs, cap) : limits.requestDeadlineMs;
}

export interface RequestScopes {
  plugin: Plugin<YogaInitialContext & Context>;
  /** The scope of an operation being executed (its deadline, tenant share and upstream calls). */
  of(context: object): RequestScope | undefined;
}

/**
 * Executes each operation in its request's scope: under its deadline (every upstream call,
 * retry and wait made for it gives up when it passes, and the answer carries what was known by
 * then), on its tenant's share of the upstream connections, counting its upstream calls.
 */
export function useRequestScope(limits: Config['limits'], trustOpenCallers: boolean): RequestScopes {
  const scopes = new WeakMap<object, RequestScope>();
  const plugin: Plugin<YogaInitialContext & Context> = {
    onExecute({ args, executeFn, setExecuteFn }) {
      const { request, caller, requestId } = args.contextValue;
      // The deadline runs from here, but its timer and its link to the caller's hang-up are made
      // on first use: an answer that reads nothing upstream (a kept answer, a cached date) never
      // pays for them (about 6 % of a kept answer's CPU).
      const expiresAtMs = Date.now() + deadlineMsOf(request, limits, caller.via === 'api-key' || trustOpenCallers);
      let deadline: Deadline | undefined;
      const scope: RequestScope = {
        requestId,
        get deadline() {
          return (deadline ??= Deadline.at(expiresAtMs, { cancelledBy: request.signal }));
        },
        share: caller.tenantId ?? '',
        upstreamCalls: 0,
        failuresLogged: 0,
      };
      scopes.set(args.contextValue, scope);
      setExecuteFn((execution) => withRequest(scope, () => executeFn(execution)));
      return { onExecuteDone: () => deadline?.dispose() };
    },
  };
  return { plugin, of: (context) => scopes.get(context) };
}

import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import type { Config } from '../../config.ts';
import { isUpstreamError, type Upstream } from '../../sources/index.ts';
import { Deadline, withDeadline } from '../../sources/http/resilience/index.ts';
import type { Logger } from '../../logger.ts';
import type { Cache } from '../../sources/cache/cache.ts';

/**
 * `/ready`: the gateway can serve when upstream hands out a token and, with Redis configured,
 * Redis answers. The body names each check and its outcome, never an upstream message.
 */
const readinessDeadlineMs = 3_000;

export interface ReadinessDeps {
  upstream: Upstream;
  cache?: Cache;
  logger: Logger;
}

export function useReadiness(config: Config, deps: ReadinessDeps): Plugin {
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

import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../config.ts';
import { isUpstreamError, type Upstream } from '../../sources/index.ts';
import { Deadline, withDeadline } from '../../sources/http/resilience/index.ts';
import type { Logger } from '../../logger.ts';
import type { Cache } from '../../sources/cache/cache.ts';

/**
 * The probes. Liveness: `/health` (Yoga's own) and `/healthcheck`. Readiness: `/ready` and
 * `/readiness`. The second names are Hive Gateway's, so one deployment manifest fits either.
 *
 * Ready means queries are answered: upstream hands out a token. Redis trouble is a cache miss,
 * so with Redis configured and down the gateway stays ready (200) and says `degraded`; only a
 * token it cannot obtain makes it `unavailable` (503). The body names each check and its
 * outcome, never an upstream message, and names the upstream: `emulator` (made-up data) or the
 * configured host, so a deployment that serves the emulator by mistake is seen at once.
 */
const readinessDeadlineMs = 3_000;

export const livenessEndpoints = { yoga: '/health', hive: '/healthcheck' } as const;
const readinessEndpoints = ['/ready', '/readiness'] as const;

export interface ReadinessDeps {
  upstream: Upstream;
  cache?: Cache;
  logger: Logger;
}

type FetchApi = Parameters<NonNullable<Plugin['onRequest']>>[0]['fetchAPI'];
type Probe = (fetchAPI: FetchApi) => Response | Promise<Response>;

export function useProbes(config: Config, deps: ReadinessDeps): Plugin[] {
  const upstream = config.upstream === null ? 'emulator' : new URL(config.upstream.baseUrl).host;
  const check: Probe = async (fetchAPI) => {
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
    const cacheAnswers = checks.redis === undefined || checks.redis === 'ok' || checks.redis === 'not checked';
    const status = checks.upstreamToken !== 'ok' ? 'unavailable' : cacheAnswers ? 'ready' : 'degraded';
    return fetchAPI.Response.json({ status, upstream, checks }, { status: status === 'unavailable' ? 503 : 200 });
  };
  // Alive is "answers HTTP". Our own routing rather than Yoga's `useReadinessCheck`: each of
  // its instances tested a URLPattern against every request's URL (about 3 % of the CPU of an
  // answer served from the answer cache); here it is one lookup of the path.
  const probes = new Map<string, Probe>([
    [livenessEndpoints.hive, (fetchAPI) => new fetchAPI.Response(null, { status: 200 })],
    ...readinessEndpoints.map((endpoint): [string, Probe] => [endpoint, check]),
  ]);
  return [
    {
      onRequest({ url, fetchAPI, endResponse }) {
        const probe = probes.get(url.pathname);
        if (probe === undefined) return;
        // Only a probe waits for anything: every other request passes on at once.
        return (async () => {
          try {
            endResponse(await probe(fetchAPI));
          } catch {
            endResponse(new fetchAPI.Response(null, { status: 503 }));
          }
        })();
      },
    },
  ];
}

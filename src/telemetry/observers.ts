import type { CacheObserver, UpstreamObserver } from '../sources/observer.ts';

/** Metrics and traces watching the same request path or cache: each is told everything. */

export function bothUpstream(first: UpstreamObserver | null, second: UpstreamObserver | null): UpstreamObserver | null {
  if (first === null || second === null) return first ?? second;
  return {
    attemptStarted: (route, attempt) => {
      const [a, b] = [first.attemptStarted(route, attempt), second.attemptStarted(route, attempt)];
      return {
        end: (how) => {
          a.end(how);
          b.end(how);
        },
      };
    },
    breakerRefused: (route) => {
      first.breakerRefused(route);
      second.breakerRefused(route);
    },
    tokenFetched: (ok) => {
      first.tokenFetched(ok);
      second.tokenFetched(ok);
    },
    watchResilience: (view) => {
      first.watchResilience(view);
      second.watchResilience(view);
    },
  };
}

export function bothCache(first: CacheObserver | null, second: CacheObserver | null): CacheObserver | null {
  if (first === null || second === null) return first ?? second;
  return {
    read: (kind, work) =>
      first.read(kind, (outer) =>
        second.read(kind, (inner) =>
          work((layer, hit) => {
            outer(layer, hit);
            inner(layer, hit);
          }),
        ),
      ),
  };
}

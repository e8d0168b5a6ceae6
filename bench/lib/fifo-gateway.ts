import { ConcurrencyLimiter } from '../../src/sources/http/resilience/concurrency-limiter.ts';

/**
 * `src/main.ts` with the upstream connections handed out first come, first served: every call
 * waits in one line, whatever its tenant. Only the `tenants` benchmark starts this, to show what
 * the fair share buys; it is not a way to run the gateway.
 */
const fairAcquire = ConcurrencyLimiter.prototype.acquire;
ConcurrencyLimiter.prototype.acquire = function acquireInOneLine(this: ConcurrencyLimiter, signal: AbortSignal) {
  return fairAcquire.call(this, signal, '');
};

await import('../../src/main.ts');

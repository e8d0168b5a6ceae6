import { describe, expect } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import type { TestGateway } from '../support/gateway.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { it } from './support.ts';
import { DayDocument, dayKeys, type DayKey } from './workload.ts';

/**
 * One deadline per GraphQL request, from the configuration or the caller's
 * `x-request-timeout-ms`, capped by the configuration. Upstream hangs on every Sales date here,
 * so how long an answer takes is the deadline it ran under.
 */
describe('the request deadline', () => {
  let proxy: FaultProxy;
  let gateway: TestGateway;
  let key: DayKey;

  it.beforeAll(async ({ lab }) => {
    proxy = await startFaultProxy(lab.emulator.url);
    proxy.script = (_method, path) => (/^\/sales\/report\/v1\/ledgers\/[^/]+\/dates\//.test(path) ? { kind: 'hang' } : null);
    gateway = lab.gateway({ upstream: { baseUrl: proxy.url }, env: { REQUEST_DEADLINE_MS: '2000', REQUEST_DEADLINE_MAX_MS: '3000' } });
    const [first] = await dayKeys(lab.emulator, 1);
    if (first === undefined) throw new Error('no ledger date');
    key = first;
    // Warm: the token is held, the emulator has generated the Report dates.
    await gateway.request(DayDocument, { ...key });
  });
  it.afterAll(async () => {
    await proxy.close();
  });

  it('follows a shorter deadline asked for in the header, and answers what it has', async () => {
    const answer = await gateway.request(DayDocument, { ...key }, { 'x-request-timeout-ms': '300' });
    // Well before the 2 s default.
    expect(answer.ms).toBeLessThan(1_500);
    expect(answer.errors.map((error) => [error.path, error.extensions?.code])).toEqual([[['ledger', 'sales'], 'UPSTREAM_TIMEOUT']]);
    expect(answer.data).toMatchObject({ ledger: { funds: { totalCount: expect.any(Number) } } });
  });

  it('falls back to the configured deadline without the header, or with one it cannot read', async () => {
    const unread: Array<Record<string, string>> = [{}, { 'x-request-timeout-ms': 'soon' }];
    for (const headers of unread) {
      const answer = await gateway.request(DayDocument, { ...key }, headers);
      // The 2 s default, well before the 3 s cap.
      expect(answer.ms).toBeGreaterThanOrEqual(1_950);
      expect(answer.ms).toBeLessThan(2_900);
      expect(answer.errors.map((error) => error.extensions?.code)).toEqual(['UPSTREAM_TIMEOUT']);
    }
  });

  it('caps a longer one at the configured maximum', async () => {
    const answer = await gateway.request(DayDocument, { ...key }, { 'x-request-timeout-ms': '60000' });
    // The 3 s cap: neither the 60 s asked for nor the 2 s default.
    expect(answer.ms).toBeGreaterThanOrEqual(2_950);
    expect(answer.ms).toBeLessThan(5_000);
    expect(answer.errors.map((error) => error.extensions?.code)).toEqual(['UPSTREAM_TIMEOUT']);
  });

  it('refuses a configuration whose default exceeds its maximum', () => {
    expect(() => loadConfig({ REQUEST_DEADLINE_MS: '40000' })).toThrow(ConfigError);
    expect(loadConfig({}).limits).toMatchObject({ requestDeadlineMs: 10_000, maxRequestDeadlineMs: 30_000 });
  });
});

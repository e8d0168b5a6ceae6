import { buildSchema } from 'graphql';
import { describe, expect } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import { schema } from '../../src/schema/index.ts';
import { deprecatesAnything } from '../../src/telemetry/graphql-metrics.ts';
import { serveMetrics } from '../../src/telemetry/metrics-server.ts';
import { it } from '../support/harness.ts';
import { LedgerDay } from '../support/ledger-day.ts';
import { routes } from '../support/routes.ts';
import { parseExposition, scrape, total } from './scrape.ts';

/**
 * `/metrics` after known traffic: the upstream counters equal the emulator's own count of the
 * requests it received, route by route, through a mix of 5xx answers and 429s; the GraphQL and
 * tenant counters equal the requests sent; no label holds a ledger id or a date.
 */

const ledgerId = '241684';
const dates = Array.from({ length: 3 }, (_, back) => addDays('2026-05-18', -back));
const faultMix = {
  seed: 'metrics',
  routes: {
    [routes.reportDate]: { rate5xx: 0.3 },
    [routes.salesDate]: { rate429: 0.5, retryAfterSeconds: 0 },
    [routes.ledgers]: { rate5xx: 0.3 },
  },
};

describe('/metrics', () => {
  it('counts the requests upstream saw, per route, status and outcome, through a fault mix', async ({ admin, openGateway }) => {
    const gateway = await openGateway();
    await admin.resetStats();
    await admin.setFaults(faultMix);
    const answers = [];
    try {
      for (const date of dates) answers.push(await gateway.request(LedgerDay, { ledgerId, date }));
    } finally {
      await admin.setFaults({});
    }
    const upstream = await admin.stats();
    const samples = await scrape(gateway.yoga);

    // Every request the emulator received, and nothing else, route by route.
    const counted = Object.fromEntries(
      Object.keys(upstream.routes).map((route) => [route, total(samples, 'rgw_upstream_requests_total', { route })]),
    );
    expect(counted).toEqual(upstream.routes);
    expect(total(samples, 'rgw_upstream_requests_total')).toBe(upstream.total);
    expect(total(samples, 'graphql_gateway_fetch_duration_count')).toBe(upstream.total);
    // The mix was met: 5xx and 429 answers that were retried.
    const retried5xx = samples.filter((sample) => sample.name === 'rgw_upstream_requests_total' && sample.labels.outcome === 'retried' && sample.labels.status?.startsWith('5'));
    expect(retried5xx.length).toBeGreaterThan(0);
    expect(total(samples, 'rgw_upstream_requests_total', { route: routes.salesDate, status: '429', outcome: 'retried' })).toBeGreaterThan(0);
    expect(total(samples, 'rgw_upstream_token_fetches_total', { outcome: 'ok' })).toBe(upstream.routes[routes.token]);

    // The GraphQL side and the tenant side of the same traffic.
    expect(total(samples, 'graphql_envelop_request', { operationName: 'PortalLedgerDay', operationType: 'query' })).toBe(dates.length);
    expect(total(samples, 'graphql_envelop_request_duration_count', { operationName: 'PortalLedgerDay' })).toBe(dates.length);
    expect(total(samples, 'graphql_yoga_http_duration_count', { operationName: 'PortalLedgerDay', statusCode: '200' })).toBe(dates.length);
    const failedFields = answers.reduce((sum, answer) => sum + answer.errors.length, 0);
    expect(total(samples, 'graphql_envelop_error_result')).toBe(failedFields);
    expect(total(samples, 'rgw_tenant_requests_total', { tenant: 'open' })).toBe(dates.length);
    expect(total(samples, 'rgw_tenant_upstream_calls_total', { tenant: 'open' })).toBe(upstream.total);

    // Caches: the first read of each date missed both layers; nothing is labelled by a ledger or a date.
    expect(total(samples, 'rgw_cache_lookups_total', { layer: 'local', kind: 'report date', result: 'miss' })).toBeGreaterThan(0);
    expect(total(samples, 'rgw_cache_lookups_total', { layer: 'memory', kind: 'sales date', result: 'miss' })).toBeGreaterThan(0);
    const labelValues = samples.flatMap((sample) => Object.values(sample.labels));
    expect(labelValues.filter((value) => value.includes(ledgerId) || dates.some((date) => value.includes(date)))).toEqual([]);
  });

  it('counts errors by code, and a warm day as cache hits', async ({ admin, openGateway }) => {
    const gateway = await openGateway();
    await admin.setFaults({ seed: 'down', routes: { [routes.reportDate]: { rate5xx: 1 } } });
    try {
      const answer = await gateway.request(LedgerDay, { ledgerId, date: '2026-05-10' });
      expect(answer.errors.length).toBeGreaterThan(0);
    } finally {
      await admin.setFaults({});
    }
    await gateway.execute(LedgerDay, { ledgerId, date: '2026-05-11' });
    await gateway.execute(LedgerDay, { ledgerId, date: '2026-05-11' });
    const samples = await scrape(gateway.yoga);
    expect(total(samples, 'graphql_envelop_error_result', { code: 'UPSTREAM_UNAVAILABLE', phase: 'execute' })).toBeGreaterThan(0);
    expect(total(samples, 'rgw_tenant_requests_total', { outcome: 'partial' })).toBe(1);
    expect(total(samples, 'rgw_cache_lookups_total', { layer: 'local', kind: 'report date', result: 'hit' })).toBeGreaterThanOrEqual(3);
    // The failing route's circuit is reported per route family, closed or not.
    expect(samples.some((sample) => sample.name === 'rgw_upstream_circuit_state' && sample.labels.route === routes.reportDate)).toBe(true);
  });

  it('are served only with the metrics token when one is set', async ({ openGateway }) => {
    const token = 'scrape-me-please-0123456789';
    const gateway = await openGateway({ env: { METRICS_TOKEN: token } });
    const refused = await gateway.yoga.fetch('http://localhost/metrics');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('Bearer');
    expect((await gateway.yoga.fetch('http://localhost/metrics', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect(total(await scrape(gateway.yoga, { authorization: `Bearer ${token}` }), 'rgw_upstream_retry_budget_remaining')).toBeGreaterThan(0);
  });

  it('are not served on the API port in production unless asked for, nor when they have a port of their own', async ({ openGateway }) => {
    const production = await openGateway({ env: { NODE_ENV: 'production' } });
    expect(production.runtime.telemetry.metrics).toBeNull();
    expect((await production.yoga.fetch('http://localhost/metrics')).status).toBe(404);

    const token = 'another-scraper-token-42';
    const apart = await openGateway({ env: { NODE_ENV: 'production', METRICS_PORT: '9464', METRICS_TOKEN: token } });
    expect((await apart.yoga.fetch('http://localhost/metrics', { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    const metrics = apart.runtime.telemetry.metrics;
    if (metrics === null || apart.runtime.config.metrics === null) throw new Error('metrics are on with a port of their own');
    // What `npm start` serves on METRICS_PORT, here on a free port.
    const server = await serveMetrics(metrics, apart.runtime.config.metrics, '127.0.0.1', 0);
    try {
      const address = server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      expect((await fetch(`${url}/graphql`)).status).toBe(404);
      const scraped = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(scraped.status).toBe(200);
      expect(total(parseExposition(await scraped.text()), 'rgw_upstream_retry_budget_remaining')).toBeGreaterThan(0);
    } finally {
      server.close();
    }
  });
});

describe('the deprecated-field counter', () => {
  it('is on only for a schema that deprecates a field or an argument', () => {
    expect(deprecatesAnything(schema)).toBe(false);
    expect(deprecatesAnything(buildSchema('type Query { a: Int b: Int @deprecated(reason: "use a") }'))).toBe(true);
    expect(deprecatesAnything(buildSchema('type Query { a(old: Int @deprecated, new: Int): Int }'))).toBe(true);
    expect(deprecatesAnything(buildSchema('type Query { a(x: In): Int } input In { old: Int @deprecated, new: Int }'))).toBe(true);
    expect(deprecatesAnything(buildSchema('type Query { a: Int }'))).toBe(false);
  });
});

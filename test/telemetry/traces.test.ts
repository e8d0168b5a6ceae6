import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect } from 'vitest';
import { it } from '../support/harness.ts';
import { LedgerDay } from '../support/ledger-day.ts';

/**
 * The trace of the ledger-day query, collected in memory: one span for the operation; under it a
 * span per cached read saying which layer answered; under a miss, one span per upstream attempt
 * with its route template, status and attempt number, as many per route as the emulator saw.
 * Every span carries the request id the answer carries.
 */

const ledgerId = '241684';
const date = '2026-05-14';

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('traces', () => {
  it('show the ledger-day query as a tree: operation, cached reads, upstream attempts', async ({ admin, openGateway }) => {
    const exporter = new InMemorySpanExporter();
    // The endpoint is never called: the spans go to the exporter given here.
    const gateway = await openGateway({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }, traceExporter: exporter });
    await admin.resetStats();
    const cold = await gateway.request(LedgerDay, { ledgerId, date });
    expect(cold.errors).toEqual([]);
    const upstream = await admin.stats();
    const requestId = cold.headers.get('x-gateway-request-id');

    const spans = exporter.getFinishedSpans();
    const operation = spans.find((span) => span.kind === SpanKind.SERVER);
    if (operation === undefined) throw new Error('no operation span');
    expect(operation.name).toBe('query PortalLedgerDay');
    expect(operation.attributes['graphql.operation.name']).toBe('PortalLedgerDay');
    expect(parentOf(operation)).toBeUndefined();
    for (const span of spans) {
      expect(span.spanContext().traceId, span.name).toBe(operation.spanContext().traceId);
      expect(span.attributes['rgw.request_id'], span.name).toBe(requestId);
    }

    // Each span's parent is in the trace, and the tree's root is the operation.
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const rootOf = (span: ReadableSpan): ReadableSpan => {
      const parent = parentOf(span);
      const above = parent === undefined ? undefined : byId.get(parent);
      return above === undefined ? span : rootOf(above);
    };
    for (const span of spans) expect(rootOf(span), span.name).toBe(operation);

    // One client span per request upstream received, route by route.
    const attempts = spans.filter((span) => span.kind === SpanKind.CLIENT);
    const perRoute: Record<string, number> = {};
    for (const span of attempts) perRoute[span.name] = (perRoute[span.name] ?? 0) + 1;
    expect(perRoute).toEqual(upstream.routes);
    for (const span of attempts) {
      expect(span.attributes['http.response.status_code']).toBe(200);
      expect(span.attributes['rgw.attempt']).toBe(1);
      expect(String(span.attributes['url.template'])).toContain('/');
    }
    // A Report date's attempts hang under the cached read that missed both layers.
    const dateAttempt = attempts.find((span) => span.name.startsWith('GET /report/v2/') && span.name.includes('/dates/'));
    const read = dateAttempt === undefined ? undefined : byId.get(parentOf(dateAttempt) ?? '');
    expect(read?.name).toBe('cache report date');
    expect(read?.attributes).toMatchObject({ 'rgw.cache.local': 'miss', 'rgw.cache.shared': 'miss' });

    // The same day again: the reads are answered by this process's layer or the shared cache, and no attempt goes upstream.
    exporter.reset();
    const warm = await gateway.request(LedgerDay, { ledgerId, date });
    const warmSpans = exporter.getFinishedSpans();
    expect(warmSpans.filter((span) => span.kind === SpanKind.CLIENT)).toEqual([]);
    const reads = warmSpans.filter((span) => span.name.startsWith('cache '));
    expect(reads.length).toBeGreaterThan(0);
    for (const span of reads) expect([span.attributes['rgw.cache.local'], span.attributes['rgw.cache.shared']], span.name).toContain('hit');
    expect(reads.filter((span) => span.name === 'cache report date').map((span) => span.attributes['rgw.cache.local'])).toContain('hit');
    for (const span of warmSpans) expect(span.attributes['rgw.request_id']).toBe(warm.headers.get('x-gateway-request-id'));
  });

  it('continue a caller\'s trace from its traceparent', async ({ openGateway }) => {
    const exporter = new InMemorySpanExporter();
    const gateway = await openGateway({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }, traceExporter: exporter });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await gateway.request(LedgerDay, { ledgerId, date }, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    const operation = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER);
    expect(operation?.spanContext().traceId).toBe(traceId);
    expect(parentOf(operation ?? ({} as ReadableSpan))).toBe('00f067aa0ba902b7');
  });
});

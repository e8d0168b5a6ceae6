import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context as TraceContext, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { getOperationAST, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import type { TracingConfig } from '../config.ts';
import type { Context } from '../schema/context.ts';
import { currentRequest } from '../sources/http/resilience/deadline.ts';
import type { CacheObserver, UpstreamObserver } from '../sources/observer.ts';

/**
 * OpenTelemetry traces, loaded only when an OTLP endpoint is configured (`telemetry/index.ts`
 * imports this module then, and only then). One span per GraphQL operation; under it a span per
 * cached read (which layer answered) and per upstream attempt (route template, status, attempt
 * number). Every span carries the request id, so a trace and the request's log lines meet.
 *
 * The operation span is written here rather than taken from a plugin: the upstream spans start
 * deep in DataLoader batches, and only the context manager's async context carries their parent
 * there, which this module sets around the execution.
 */

export interface TracingOptions {
  /** Where finished spans go: the OTLP endpoint unless a test collects them in memory. */
  exporter?: SpanExporter;
}

const requestIdAttribute = 'rgw.request_id';
const propagator = new W3CTraceContextPropagator();
const headerGetter = {
  keys: (headers: Headers) => [...headers.keys()],
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
};

let contextManager: AsyncLocalStorageContextManager | null = null;

/** The async context that carries the active span; one per process, set by the first tracer. */
function ensureContextManager(): void {
  if (contextManager !== null) return;
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
}

function withRequestId(attributes: Attributes): Attributes {
  const requestId = currentRequest()?.requestId;
  return requestId === undefined ? attributes : { ...attributes, [requestIdAttribute]: requestId };
}

function errorsOf(result: ExecutionResult | AsyncIterable<unknown>): number {
  return isAsyncIterable(result) ? 0 : (result.errors?.length ?? 0);
}

export class Tracing {
  readonly tracer: Tracer;
  readonly #provider: BasicTracerProvider;

  constructor(config: TracingConfig, options: TracingOptions = {}) {
    ensureContextManager();
    const exporter = options.exporter ?? new OTLPTraceExporter({ url: config.endpoint, headers: config.headers });
    // Spans collected in memory are there the moment they end; real exports go out in batches.
    const processor = options.exporter === undefined ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter);
    this.#provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': config.serviceName }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
      spanProcessors: [processor],
    });
    this.tracer = this.#provider.getTracer('vmp-reporting-gateway');
  }

  /** One span per operation, the parent of everything the operation reads; a caller's `traceparent` is its parent. */
  plugin(): Plugin<YogaInitialContext & Context> {
    return {
      onExecute: ({ args, executeFn, setExecuteFn }) => {
        const { request, requestId, caller } = args.contextValue;
        const operation = getOperationAST(args.document, args.operationName);
        const type = operation?.operation ?? 'query';
        const name = operation?.name?.value ?? null;
        const parent = propagator.extract(ROOT_CONTEXT, request.headers, headerGetter);
        const span = this.tracer.startSpan(
          name === null ? `${type}` : `${type} ${name}`,
          {
            kind: SpanKind.SERVER,
            attributes: {
              'graphql.operation.type': type,
              ...(name === null ? {} : { 'graphql.operation.name': name }),
              [requestIdAttribute]: requestId,
              ...(caller.tenantId === null ? {} : { 'rgw.tenant': caller.tenantId }),
            },
          },
          parent,
        );
        const active: TraceContext = trace.setSpan(parent, span);
        setExecuteFn((execution) => context.with(active, () => executeFn(execution)));
        return {
          onExecuteDone: ({ result }) => {
            const errors = errorsOf(result);
            if (errors > 0) span.setAttributes({ 'rgw.errors': errors });
            if (errors > 0) span.setStatus({ code: SpanStatusCode.ERROR, message: `${errors} errors in the answer` });
            span.end();
          },
        };
      },
    };
  }

  /** A span per upstream attempt, under whatever read or operation is active. */
  upstream(keySet: string): UpstreamObserver {
    return {
      attemptStarted: (route, attempt) => {
        const space = route.indexOf(' ');
        const span = this.tracer.startSpan(
          route,
          {
            kind: SpanKind.CLIENT,
            attributes: withRequestId({
              'http.request.method': route.slice(0, space),
              'url.template': route.slice(space + 1),
              'rgw.attempt': attempt,
              'rgw.key_set': keySet,
            }),
          },
          context.active(),
        );
        return {
          end: (how) => {
            if (how.status !== null) span.setAttribute('http.response.status_code', how.status);
            span.setAttribute('rgw.retried', how.retried);
            if (how.failure !== null) span.setAttribute('error.type', how.failure);
            if (how.failure !== null || how.status === null || how.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
          },
        };
      },
      breakerRefused: (route) => trace.getSpan(context.active())?.addEvent('circuit open: call not sent', { 'rgw.route': route }),
      tokenFetched: () => {},
      watchResilience: () => {},
    };
  }

  /** A span per cached read, saying which layer answered; the upstream attempts of a miss are its children. */
  cache(): CacheObserver {
    return {
      read: (kind, work) => {
        const span = this.tracer.startSpan(`cache ${kind}`, { attributes: withRequestId({ 'rgw.cache.kind': kind }) }, context.active());
        const active = trace.setSpan(context.active(), span);
        return context.with(active, () => work((layer, hit) => span.setAttribute(`rgw.cache.${layer}`, hit ? 'hit' : 'miss'))).finally(() => span.end());
      },
    };
  }

  /** Sends what is still buffered. */
  async close(): Promise<void> {
    await this.#provider.shutdown();
  }
}

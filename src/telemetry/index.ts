import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../config.ts';
import type { CacheObserver, UpstreamObserver } from '../sources/observer.ts';
import { GatewayMetrics } from './metrics.ts';
import { bothCache, bothUpstream } from './observers.ts';
import type { Tracing } from './tracing.ts';

/**
 * What operators see of a runtime: Prometheus metrics unless switched off, OpenTelemetry traces
 * when an OTLP endpoint is configured. Off, each is `null` and nothing of it runs: the sources get
 * no observer, Yoga no plugin (`plugins.ts`), and the tracing SDK is not even loaded. The sync
 * loads this module too; the Yoga plugins are only the gateway's.
 */
export interface Telemetry {
  metrics: GatewayMetrics | null;
  tracing: Tracing | null;
  /** The observer of one key set's request path; null when nothing watches. */
  upstream(keySet: string): UpstreamObserver | null;
  cache(shared: 'redis' | 'memory'): CacheObserver | null;
  close(): Promise<void>;
}

export interface TelemetryOptions {
  /** Spans go here instead of the OTLP endpoint (tests). */
  traceExporter?: SpanExporter;
}

export async function createTelemetry(config: Config, options: TelemetryOptions = {}): Promise<Telemetry> {
  const metrics = config.metrics === null ? null : new GatewayMetrics();
  let tracing: Tracing | null = null;
  if (config.tracing !== null) {
    const { Tracing: TracingImpl } = await import('./tracing.ts');
    tracing = new TracingImpl(config.tracing, options.traceExporter === undefined ? {} : { exporter: options.traceExporter });
  }
  return {
    metrics,
    tracing,
    upstream: (keySet) => bothUpstream(metrics?.upstream(keySet) ?? null, tracing?.upstream(keySet) ?? null),
    cache: (shared) => bothCache(metrics?.cache(shared) ?? null, tracing?.cache() ?? null),
    close: async () => {
      await tracing?.close();
    },
  };
}

/** A runtime that watches nothing (tests and tools that build parts by hand). */
export const noTelemetry: Telemetry = {
  metrics: null,
  tracing: null,
  upstream: () => null,
  cache: () => null,
  close: async () => {},
};

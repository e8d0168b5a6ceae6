import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { issuesOf } from '../support/config-issues.ts';

/** The settings of metrics, traces and a Redis Cluster in `src/config.ts`. */


const production = { NODE_ENV: 'production', EMULATOR: 'embedded' };

describe('metrics settings', () => {
  it('serve /metrics on the API port in development, and nowhere in production unless asked for', () => {
    expect(loadConfig({}).metrics).toEqual({ token: null, port: null });
    expect(loadConfig(production).metrics).toBeNull();
    expect(loadConfig({ ...production, METRICS: 'true' }).metrics).toEqual({ token: null, port: null });
    expect(loadConfig({ ...production, METRICS_TOKEN: 'a-long-enough-token' }).metrics).toEqual({ token: 'a-long-enough-token', port: null });
    expect(loadConfig({ ...production, METRICS_PORT: '9464' }).metrics).toEqual({ token: null, port: 9464 });
    expect(loadConfig({ METRICS: 'false' }).metrics).toBeNull();
  });

  it('name each contradiction', () => {
    expect(issuesOf({ METRICS_TOKEN: 'short' })).toEqual(['METRICS_TOKEN: must be at least 16 characters']);
    expect(issuesOf({ METRICS: 'false', METRICS_TOKEN: 'a-long-enough-token', METRICS_PORT: '4000' })).toEqual([
      'METRICS_TOKEN: is set, but METRICS is false: choose one',
      'METRICS_PORT: is set, but METRICS is false: choose one',
      'METRICS_PORT: must differ from PORT',
    ]);
  });
});

describe('trace settings', () => {
  it('load nothing without an endpoint, and follow the OTLP variables with one', () => {
    expect(loadConfig({}).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      endpoint: 'http://collector:4318/v1/traces',
      headers: {},
      serviceName: 'vmp-reporting-gateway',
      sampleRatio: 1,
    });
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example.com/traces',
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s%3Dcret,x-team=ops',
        OTEL_SERVICE_NAME: 'reporting-eu',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }).tracing,
    ).toEqual({ endpoint: 'https://otlp.example.com/traces', headers: { 'api-key': 's=cret', 'x-team': 'ops' }, serviceName: 'reporting-eu', sampleRatio: 0.25 });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing).toBeNull();
  });

  it('refuse what the gateway cannot send', () => {
    expect(issuesOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_TRACES_SAMPLER_ARG: '2', OTEL_EXPORTER_OTLP_HEADERS: 'nokey' })).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT: must be an http(s) URL',
      'OTEL_EXPORTER_OTLP_PROTOCOL: must be http/json (the only protocol this gateway sends)',
      'OTEL_EXPORTER_OTLP_HEADERS: must be key=value pairs separated by commas',
      'OTEL_TRACES_SAMPLER_ARG: must be a number from 0 to 1',
    ]);
  });
});

describe('Redis settings', () => {
  it('tell one Redis from a cluster: several nodes, or REDIS_CLUSTER=true', () => {
    expect(loadConfig({ REDIS_URL: 'redis://a:6379' }).redis).toMatchObject({ url: 'redis://a:6379', nodes: ['redis://a:6379'], cluster: false });
    expect(loadConfig({ REDIS_URL: 'redis://a:6379, redis://b:6379' }).redis).toMatchObject({ url: 'redis://a:6379', nodes: ['redis://a:6379', 'redis://b:6379'], cluster: true });
    expect(loadConfig({ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER: 'true' }).redis).toMatchObject({ cluster: true });
    expect(issuesOf({ REDIS_URL: 'redis://a:6379,http://b', REDIS_CLUSTER: 'maybe' })).toEqual([
      'REDIS_URL: must be a redis:// or rediss:// URL, or a comma-separated list of them; got http://b',
      'REDIS_CLUSTER: must be true or false',
    ]);
    expect(issuesOf({ REDIS_URL: 'redis://a:6379,redis://b:6379', REDIS_CLUSTER: 'false' })).toEqual([
      'REDIS_CLUSTER: is false, but REDIS_URL names several nodes: one Redis has one URL',
    ]);
  });
});

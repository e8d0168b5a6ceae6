import { createHash, timingSafeEqual } from 'node:crypto';
import { createCounter, createHistogram, usePrometheus, type FillLabelsFnParams } from '@graphql-yoga/plugin-prometheus';
import { isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { MetricsConfig } from '../config.ts';
import type { GatewayMetrics } from './metrics.ts';

/**
 * The GraphQL metrics under the names Hive Gateway and GraphQL Yoga users know
 * (`graphql_envelop_*`, `graphql_yoga_http_duration`), from the Yoga Prometheus plugin, with
 * labels kept bounded: operation names are chosen by callers, so only the first few hundred
 * distinct ones get a label of their own and the rest are `other`; the HTTP metric carries no
 * URL (a caller picks the path); errors are counted by their code, not by their field path.
 */

export const metricsPath = '/metrics';
/** Distinct operation names labelled before the rest become `other`. */
const maxOperationNames = 200;
const operationNamePattern = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const codePattern = /^[A-Z][A-Z0-9_]{0,47}$/;

export class OperationNames {
  readonly #seen = new Set<string>();

  constructor(private readonly max = maxOperationNames) {}

  label(name: string | undefined): string {
    if (name === undefined) return 'Anonymous';
    if (this.#seen.has(name)) return name;
    if (!operationNamePattern.test(name) || this.#seen.size >= this.max) return 'other';
    this.#seen.add(name);
    return name;
  }
}

/** An error's `extensions.code` when it is one of the gateway's codes (upper case), else `UNKNOWN`. */
function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null || !('extensions' in error)) return 'UNKNOWN';
  const { extensions } = error;
  const code = typeof extensions === 'object' && extensions !== null && 'code' in extensions ? extensions.code : undefined;
  return typeof code === 'string' && codePattern.test(code) ? code : 'UNKNOWN';
}

/**
 * Whether the schema deprecates any field or argument. Counting uses of deprecated fields walks
 * every document against the schema (about 3% of a warm request's CPU), so the counter is on only
 * when there is something to count.
 */
export function deprecatesAnything(schema: GraphQLSchema): boolean {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.deprecationReason != null) return true;
      const args: ReadonlyArray<{ deprecationReason?: string | null | undefined }> = 'args' in field ? field.args : [];
      if (args.some((argument) => argument.deprecationReason != null)) return true;
    }
  }
  return false;
}

/** The Yoga Prometheus plugin on the runtime's registry; `/metrics` on the API port when `served`. */
export function useGraphqlMetrics(metrics: GatewayMetrics, served: boolean, schema: GraphQLSchema): Plugin {
  const { registry } = metrics;
  const names = new OperationNames();
  const operation = (params: FillLabelsFnParams) => ({ operationName: names.label(params.operationName), operationType: params.operationType ?? 'unknown' });
  const labelNames = ['operationName', 'operationType'];
  const phase = <Phase>(name: string, help: string) =>
    createHistogram<Phase, string>({ registry, histogram: { name, help, labelNames }, fillLabelsFn: operation });
  return usePrometheus({
    registry,
    endpoint: served ? metricsPath : false,
    metrics: {
      graphql_envelop_request: createCounter<'execute' | 'subscribe', string>({
        registry,
        counter: { name: 'graphql_envelop_request', help: 'GraphQL operations executed, by operation name and type', labelNames },
        fillLabelsFn: operation,
      }),
      graphql_envelop_request_duration: phase('graphql_envelop_request_duration', 'Seconds from the start of parsing to the end of execution of each operation'),
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: phase('graphql_envelop_phase_parse', 'Seconds spent parsing'),
      graphql_envelop_phase_validate: phase('graphql_envelop_phase_validate', 'Seconds spent validating'),
      graphql_envelop_phase_context: phase('graphql_envelop_phase_context', 'Seconds spent building the context (the caller and its loaders)'),
      graphql_envelop_phase_execute: phase('graphql_envelop_phase_execute', 'Seconds spent executing, upstream reads included'),
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_error_result: createCounter<'parse' | 'validate' | 'context' | 'execute' | 'subscribe', string, FillLabelsFnParams & { error: unknown; errorPhase: string }>({
        registry,
        counter: { name: 'graphql_envelop_error_result', help: 'Errors in answers, by operation, phase and code', labelNames: [...labelNames, 'phase', 'code'] },
        fillLabelsFn: (params) => ({ ...operation(params), phase: params.errorPhase ?? 'unknown', code: errorCode(params.error) }),
      }),
      graphql_envelop_deprecated_field: deprecatesAnything(schema),
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
      graphql_yoga_http_duration: createHistogram<'request', string, FillLabelsFnParams & { request: Request; response: Response }>({
        registry,
        histogram: { name: 'graphql_yoga_http_duration', help: 'Seconds from the HTTP request to the response of each GraphQL request', labelNames: [...labelNames, 'method', 'statusCode'] },
        fillLabelsFn: (params) => ({ ...operation(params), method: params.request.method, statusCode: params.response.status }),
      }),
    },
  });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Whether a request may read the metrics: always without a token, with `Authorization: Bearer <token>` otherwise. */
export function mayReadMetrics(config: MetricsConfig, authorization: string | null): boolean {
  if (config.token === null) return true;
  const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
  // Digests of equal length, compared in constant time: the token's length is not told either.
  return timingSafeEqual(digest(presented), digest(config.token));
}

/** Refuses `/metrics` on the API port to whoever does not hold the metrics token (when there is one). */
export function useMetricsGuard(config: MetricsConfig): Plugin {
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== metricsPath || mayReadMetrics(config, request.headers.get('authorization'))) return;
      endResponse(new fetchAPI.Response('metrics need the metrics token\n', { status: 401, headers: { 'www-authenticate': 'Bearer realm="metrics"' } }));
    },
  };
}

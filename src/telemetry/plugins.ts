import type { GraphQLSchema } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { Config } from '../config.ts';
import type { Context } from '../schema/context.ts';
import { useGraphqlMetrics, useMetricsGuard } from './graphql-metrics.ts';
import type { Telemetry } from './index.ts';

/** The gateway's Yoga plugins of a runtime's telemetry: GraphQL metrics (and `/metrics` on the API port, guarded), the operation span. */
export function telemetryPlugins(telemetry: Telemetry, config: Config, schema: GraphQLSchema): Array<Plugin | Plugin<YogaInitialContext & Context>> {
  const plugins: Array<Plugin | Plugin<YogaInitialContext & Context>> = [];
  const { metrics, tracing } = telemetry;
  if (metrics !== null && config.metrics !== null) {
    const onApiPort = config.metrics.port === null;
    if (onApiPort) plugins.push(useMetricsGuard(config.metrics));
    plugins.push(useGraphqlMetrics(metrics, onApiPort, schema));
  }
  if (tracing !== null) plugins.push(tracing.plugin());
  return plugins;
}

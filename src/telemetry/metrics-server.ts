import { createServer, type Server } from 'node:http';
import type { MetricsConfig } from '../config.ts';
import { mayReadMetrics, metricsPath } from './graphql-metrics.ts';
import type { GatewayMetrics } from './metrics.ts';

/**
 * `/metrics` on a port of its own (`METRICS_PORT`), for deployments that keep the scraper on
 * another network than the API's callers: nothing else is served there, and the API port does
 * not serve `/metrics` at all. The token, when set, is asked for here too.
 */
export async function serveMetrics(metrics: GatewayMetrics, config: MetricsConfig, host: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== metricsPath) {
      response.writeHead(404).end();
      return;
    }
    if (!mayReadMetrics(config, request.headers.authorization ?? null)) {
      response.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"' }).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

import { createServer, type Server } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import type { EmulatorProcess } from '../lib/emulator-process.ts';
import { graphqlRequest, startGatewayProcess } from '../lib/gateway-process.ts';
import { ledgerDayEmulator, startLedgerDayEmulator } from '../lib/ledger-day/pick-day.ts';
import { ledgerDayQuery } from '../lib/ledger-day/query.ts';
import { sendOnce } from '../lib/load.ts';
import { compareUnderLoad, percent, ratio, type SideFigures } from '../lib/measure.ts';
import type { ServerProcess } from '../lib/processes.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';

export const name = 'ledger-day-telemetry';
export const description = 'The ledger-day query with metrics and traces off, metrics on, and metrics and OTLP traces on: what watching costs';

const { seed, now } = ledgerDayEmulator;

/** An OTLP endpoint that accepts every export and counts it, as a collector would. */
async function otlpSink(): Promise<{ url: string; exports: () => number; bytes: () => number; close(): Promise<void> }> {
  let exports = 0;
  let bytes = 0;
  const server: Server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      exports += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    exports: () => exports,
    bytes: () => bytes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const sides = ['off', 'metrics', 'metrics and traces'] as const;

function cpuPerRequestMs(side: SideFigures): number | null {
  return side.serverBusy === null || side.requestsPerSecond === 0 ? null : (side.serverBusy * 1000) / side.requestsPerSecond;
}
type SideName = (typeof sides)[number];

function rows(figures: Record<SideName, SideFigures>, scrape: { bytes: number; ms: number }, sink: { exports: number; bytes: number }): Row[] {
  const row = (measure: string, pick: (side: SideFigures) => string, vsOff?: (side: SideFigures) => number): Row => {
    const cells: Row = { measure };
    for (const side of sides) cells[side] = pick(figures[side]);
    if (vsOff !== undefined) {
      cells['metrics/off'] = ratio(vsOff(figures.metrics), vsOff(figures.off));
      cells['metrics and traces/off'] = ratio(vsOff(figures['metrics and traces']), vsOff(figures.off));
    }
    return cells;
  };
  return [
    row('requests/s', (side) => side.requestsPerSecond.toFixed(1), (side) => side.requestsPerSecond),
    row('requests/s per round', (side) => side.roundRates.map((rate) => rate.toFixed(0)).join(' ')),
    row('latency p50 (ms)', (side) => side.p50Ms.toFixed(0), (side) => side.p50Ms),
    row('latency p99 (ms)', (side) => side.p99Ms.toFixed(0), (side) => side.p99Ms),
    row('CPU busy under load: gateway', (side) => percent(side.serverBusy)),
    // On a shared machine the gateway may not get its core; its CPU time per answer does not depend on that.
    row('gateway CPU per request (ms)', (side) => cpuPerRequestMs(side)?.toFixed(1) ?? 'n/a', (side) => cpuPerRequestMs(side) ?? 0),
    row('upstream calls per request under load', (side) => side.upstreamCallsPerRequest.toFixed(2)),
    { measure: 'one scrape of /metrics after the load', off: 'not served', metrics: `${(scrape.bytes / 1024).toFixed(0)} KiB in ${scrape.ms.toFixed(0)} ms`, 'metrics and traces': '' },
    { measure: 'OTLP exports received', off: '', metrics: '', 'metrics and traces': `${sink.exports} posts, ${(sink.bytes / 2 ** 20).toFixed(1)} MiB` },
  ];
}

export async function run(context: BenchContext): Promise<Row[]> {
  const underTest: ServerProcess[] = [];
  let emulator: EmulatorProcess | undefined;
  const sink = await otlpSink();
  try {
    context.progress('starting the emulator');
    const started = await startLedgerDayEmulator(context.cores.upstream);
    emulator = started.emulator;
    const { partner, day, expected } = started;
    context.progress(`ledger ${day.ledgerId}, ${day.date}: ${expected.ledger.sales.totalCount} sales; starting three gateways`);

    const envOf: Record<SideName, Record<string, string>> = {
      off: { METRICS: 'false' },
      metrics: { METRICS: 'true' },
      'metrics and traces': { METRICS: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: sink.url },
    };
    const gateways = {} as Record<SideName, ServerProcess>;
    for (const side of sides) {
      const gateway = await startGatewayProcess({ upstreamUrl: emulator.url, ...partner, cpu: context.cores.server, env: envOf[side] });
      underTest.push(gateway);
      gateways[side] = gateway;
    }
    const requests = Object.fromEntries(sides.map((side) => [side, graphqlRequest(gateways[side].url, ledgerDayQuery, { ledgerId: day.ledgerId, date: day.date })])) as Record<SideName, ReturnType<typeof graphqlRequest>>;
    const bodies = {} as Record<SideName, string>;
    for (const side of sides) {
      bodies[side] = await sendOnce(requests[side]);
      if (!isDeepStrictEqual(JSON.parse(bodies[side]), { data: expected })) throw new Error(`the gateway with ${side} answered other data than the reference join`);
    }

    const measured = await compareUnderLoad(
      context,
      emulator,
      sides.map((side) => ({ label: side, server: gateways[side], target: { ...requests[side], expectBody: bodies[side] } })),
    );
    const figures = Object.fromEntries(sides.map((side, index) => [side, measured[index]])) as Record<SideName, SideFigures>;
    const scrapeStarted = performance.now();
    const scraped = await fetch(`${gateways.metrics.url.replace(/\/graphql$/, '')}/metrics`);
    const text = await scraped.text();
    const scrape = { bytes: Buffer.byteLength(text), ms: performance.now() - scrapeStarted };
    if (!scraped.ok || !text.includes('graphql_envelop_request')) throw new Error('the metrics gateway did not serve its metrics');

    context.note(`day: ledger ${day.ledgerId}, ${day.date}, ${expected.ledger.sales.totalCount} sales; emulator seed "${seed}", clock ${now}; answers checked equal to the reference join`);
    context.note('each gateway is src/main.ts with the in-memory cache: METRICS=false; METRICS=true; METRICS=true with OTEL_EXPORTER_OTLP_ENDPOINT at a sink in the benchmark process (every operation sampled)');
    context.note('ratios are other/off: requests/s below 1.00x and latency above 1.00x are the cost of watching');
    return rows(figures, scrape, { exports: sink.exports(), bytes: sink.bytes() });
  } finally {
    await Promise.all(underTest.map((server) => server.stop()));
    await emulator?.stop();
    await sink.close();
  }
}

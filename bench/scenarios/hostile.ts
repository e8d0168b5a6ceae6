import { hostileCatalogue } from '../../test/server/hostile-documents.ts';
import { startEmulatorProcess, type EmulatorProcess } from '../lib/emulator-process.ts';
import { startGatewayProcess } from '../lib/gateway-process.ts';
import type { ServerProcess } from '../lib/processes.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';

export const name = 'hostile';
export const description =
  'The catalogue of hostile documents (test/server/hostile-documents.ts), one at a time against a fresh gateway process: time to the answer, /health meanwhile, upstream calls, answer bytes, and the memory it grew by';

const seed = 'demo';
const now = '2026-06-10T12:00:00Z';

const kib = (bytes: number | null) => (bytes === null ? '?' : `${(bytes / 1024 / 1024).toFixed(0)} MiB`);

export async function run(context: BenchContext): Promise<Row[]> {
  let emulator: EmulatorProcess | undefined;
  let gateway: ServerProcess | undefined;
  try {
    context.progress('starting the emulator and the gateway');
    emulator = await startEmulatorProcess({ seed, now, cpu: context.cores.upstream });
    const [partner] = await emulator.admin.partners();
    const ledgerId = partner?.ledgerIds[0];
    if (partner === undefined || ledgerId === undefined) throw new Error('the emulator has no demo partner with ledgers');
    gateway = await startGatewayProcess({ upstreamUrl: emulator.url, ...partner, cpu: context.cores.server });
    const health = gateway.url.replace(/\/graphql$/, '/health');
    await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    const rssAtStart = gateway.rssBytes();
    const rows: Row[] = [];
    for (const hostile of hostileCatalogue(ledgerId, '2026-06-09')) {
      context.progress(hostile.name);
      await emulator.admin.resetStats();
      const startedAt = performance.now();
      const answer = fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': hostile.contentType ?? 'application/json' },
        body: hostile.body,
        signal: AbortSignal.timeout(60_000),
      }).then(async (response) => ({ status: response.status, bytes: (await response.arrayBuffer()).byteLength, ms: performance.now() - startedAt }));
      const probeStartedAt = performance.now();
      await fetch(health, { signal: AbortSignal.timeout(60_000) }).then((response) => response.arrayBuffer());
      const healthMs = performance.now() - probeStartedAt;
      const outcome = await answer.catch((error: unknown) => ({ status: 0, bytes: 0, ms: performance.now() - startedAt, error }));
      rows.push({
        document: hostile.name,
        'request size': `${(Buffer.byteLength(hostile.body) / 1024).toFixed(0)} KiB`,
        status: outcome.status,
        'time (ms)': outcome.ms.toFixed(0),
        '/health meanwhile (ms)': healthMs.toFixed(0),
        'upstream calls': (await emulator.admin.stats()).total,
        'answer bytes': outcome.bytes,
      });
    }
    context.note(`gateway RSS at start ${kib(rssAtStart)}, after the catalogue ${kib(gateway.rssBytes())}; /health is probed from the same client while the document is in flight`);
    return rows;
  } finally {
    await gateway?.stop();
    await emulator?.stop();
  }
}

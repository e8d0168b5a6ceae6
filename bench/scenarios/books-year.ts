import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/logger.ts';
import { createGateway } from '../../src/server/gateway.ts';
import { RedisConnection } from '../../src/sources/redis/connection.ts';
import { MirrorReader } from '../../src/sync/reader.ts';
import { MirrorStore } from '../../src/sync/store.ts';
import { syncPass } from '../../src/sync/syncer.ts';
import { startRedis } from '../../test/support/redis.ts';
import { plainUpstream } from '../../test/support/upstream.ts';
import { describeCalls, startDemoEmulator } from '../lib/emulator-process.ts';
import { ratio } from '../lib/measure.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';

export const name = 'books-year';
export const description =
  "A two-month VAT summary and a year's journal (GET /journal.csv) of one ledger, with the feed mirror and without: upstream calls and time, cold";

const seed = 'demo';
/** A year after the emulator's history begins: every date of the year has data. */
const now = '2027-03-17T12:00:00Z';
const to = '2027-03-16';
const yearFrom = '2026-03-17';
const vatFrom = '2027-01-15';

const vatQuery = /* GraphQL */ `
  query Vat($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) { __typename ... on Ledger { vatSummary(from: $from, to: $to) { isFinal breakdown { gross { minorUnits } vat { minorUnits } byRate { rateBasisPoints vat { minorUnits } } } } } }
  }
`;

export async function run(context: BenchContext): Promise<Row[]> {
  const { emulator, partner } = await startDemoEmulator({ seed, now, cpu: context.cores.upstream });
  const redis = await startRedis();
  const connection = new RedisConnection({ url: redis.url, logger: silentLogger, commandTimeoutMs: 5_000 });
  try {
    const ledger = (await emulator.admin.ledgers()).find((candidate) => candidate.kind === 'vm' && candidate.feeSettlement === 'net' && !candidate.busiest && candidate.grantedTo.includes(partner.clientId));
    if (ledger === undefined) throw new Error('no quiet net-settled Vippsnummer ledger');
    context.progress(`syncing ledger ${ledger.ledgerId} into the mirror`);
    await connection.waitUntilReady(5_000);
    const syncUpstream = plainUpstream(emulator.url, partner);
    const synced = await syncPass({
      upstream: syncUpstream,
      store: new MirrorStore(connection),
      logger: silentLogger,
      ledgerIds: [ledger.ledgerId],
      concurrency: 3,
      salesPageSize: 1000,
      minPollIntervalMs: 60_000,
      retry: { attempts: 6, firstDelayMs: 50, maxDelayMs: 2_000 },
    });
    if (synced.failed !== 0) throw new Error('the sync failed');
    await syncUpstream.close();

    // No cache: every read is counted upstream, and each run is cold.
    const env = { REQUEST_DEADLINE_MS: '60000', REQUEST_DEADLINE_MAX_MS: '60000' };
    const gateways = {
      'without mirror': () => plainUpstream(emulator.url, partner),
      'with mirror': () => plainUpstream(emulator.url, partner, {}, { mirror: (fp) => new MirrorReader(connection, fp) }),
    };
    const measure = async (label: string, what: string, ask: (yoga: ReturnType<typeof createGateway>['yoga']) => Promise<string>) => {
      const upstream = gateways[label as keyof typeof gateways]();
      const gateway = createGateway(loadConfig(env), { upstream, logger: silentLogger });
      await emulator.admin.resetStats();
      const started = performance.now();
      const answer = await ask(gateway.yoga);
      const ms = performance.now() - started;
      const calls = await emulator.admin.stats();
      await gateway.close();
      await upstream.close();
      return { row: { what, upstream: label, 'upstream calls': describeCalls(calls), 'report date calls': calls.routes['GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}'] ?? 0, ms: Math.round(ms) }, answer, ms };
    };
    const vat = (yoga: ReturnType<typeof createGateway>['yoga']) =>
      Promise.resolve(
        yoga.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: vatQuery, variables: { ledgerId: ledger.ledgerId, from: vatFrom, to } }),
        }),
      ).then((response) => response.text());
    const journal = (yoga: ReturnType<typeof createGateway>['yoga']) =>
      Promise.resolve(yoga.fetch(`http://localhost/journal.csv?ledgerId=${ledger.ledgerId}&from=${yearFrom}&to=${to}`)).then(async (response) => {
        if (response.status !== 200) throw new Error(`journal.csv answered ${response.status}: ${await response.text()}`);
        return response.text();
      });

    // The emulator generates a date when first asked: a first walk, not measured, makes every run read warm emulator data.
    context.progress('warming the emulator');
    await measure('without mirror', 'warm-up', journal);

    const rows: Row[] = [];
    const ratios: string[] = [];
    for (const [what, ask] of [['two-month VAT summary', vat], ["a year's journal (CSV)", journal]] as const) {
      // Alternating order, twice: the ratio is of the sums.
      const times = { 'without mirror': 0, 'with mirror': 0 };
      let reference: string | null = null;
      for (const order of [['without mirror', 'with mirror'], ['with mirror', 'without mirror']] as const) {
        for (const label of order) {
          context.progress(`${what}, ${label}`);
          const measured = await measure(label, what, ask);
          if (reference !== null && measured.answer !== reference) throw new Error(`${what}: the answers with and without the mirror differ`);
          reference = measured.answer;
          times[label] += measured.ms;
          rows.push(measured.row);
        }
      }
      ratios.push(`${what}: without/with mirror time ${ratio(times['without mirror'], times['with mirror'])}`);
    }
    context.note(`ledger ${ledger.ledgerId} (${ledger.currency}, quiet, net-settled); year ${yearFrom}…${to}; VAT ${vatFrom}…${to}; emulator clock ${now}`);
    context.note('each row is one cold run (no cache; the mirror synced before); both runs of a pair give byte-identical answers');
    for (const line of ratios) context.note(line);
    return rows;
  } finally {
    await connection.close();
    await redis.stop();
    await emulator.stop();
  }
}

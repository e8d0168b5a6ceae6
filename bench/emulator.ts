import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { dateString, dayNumber } from '../src/emulator/data/calendar.ts';
import { World } from '../src/emulator/data/world.ts';
import { EmulatorAdmin, type LedgerTraits } from '../src/emulator/admin-client.ts';
import { startEmulator } from '../src/emulator/index.ts';
import { fetchToken } from './lib/token.ts';

/**
 * `npm run bench:emulator`: how fast the emulator serves warm date pages (one emulator process,
 * so one core, loaded by autocannon from this process), how long a year of the busiest ledger
 * takes to generate, and how much memory it holds after every date of every ledger was read.
 */

const SEED = 'demo';
/** A year after the busiest ledger's first sale, so "a year of history" is real. */
const NOW = '2027-03-17T12:00:00Z';
const DURATION_SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);

const partnerModel = z.object({ name: z.string(), clientId: z.string(), clientSecret: z.string(), ledgerIds: z.array(z.string()) });
const readyModel = z.object({ small: z.string(), large: z.string(), partners: z.array(partnerModel) });
type Ready = z.infer<typeof readyModel>;
const memoryModel = z.object({ rssBeforeGc: z.number(), rss: z.number(), heapUsed: z.number() });
const cpuModel = z.object({ user: z.number(), system: z.number() });
const resultModel = z.object({
  requests: z.object({ average: z.number(), total: z.number() }),
  latency: z.object({ p50: z.number(), p99: z.number() }),
  throughput: z.object({ average: z.number() }),
  non2xx: z.number(),
  errors: z.number(),
});

/** The child: two emulators (Report pages of 100 and of 1000) in one process, answering "rss" and "cpu" on stdin. */
async function serve(): Promise<void> {
  const small = await startEmulator({ port: 0, seed: SEED, now: NOW, reportPageSize: 100 });
  const large = await startEmulator({ port: 0, seed: SEED, now: NOW, reportPageSize: 1000 });
  process.stdout.write(`${JSON.stringify({ small: small.url, large: large.url, partners: small.partners })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'cpu') process.stdout.write(`${JSON.stringify(process.cpuUsage())}\n`);
    if (line !== 'rss') continue;
    const before = process.memoryUsage().rss;
    // Started with --expose-gc: what is retained, not what is merely not yet collected.
    globalThis.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.stdout.write(`${JSON.stringify({ rssBeforeGc: before, rss, heapUsed })}\n`);
  }
  await Promise.all([small.close(), large.close()]);
}

function loadAutocannon(): (options: object) => Promise<unknown> {
  const loaded: unknown = createRequire(import.meta.url)('autocannon');
  if (typeof loaded !== 'function') throw new Error('autocannon did not load');
  return (options) => Promise.resolve(loaded(options));
}

class ServerProcess {
  private readonly lines: AsyncIterator<string>;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    child.stderr.pipe(process.stderr);
  }

  static start(): ServerProcess {
    return new ServerProcess(spawn(process.execPath, ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), '--serve']));
  }

  async nextLine(): Promise<string> {
    const next = await this.lines.next();
    if (next.done) throw new Error('the emulator process ended');
    return next.value;
  }

  async memory(): Promise<z.infer<typeof memoryModel>> {
    this.child.stdin.write('rss\n');
    return memoryModel.parse(JSON.parse(await this.nextLine()));
  }

  /** CPU time the emulator process has used so far, in microseconds. */
  async cpuMicros(): Promise<number> {
    this.child.stdin.write('cpu\n');
    const usage = cpuModel.parse(JSON.parse(await this.nextLine()));
    return usage.user + usage.system;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.stdin.end();
    });
  }
}

async function getJson(url: string, bearer: string): Promise<unknown> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

function generationTimes(): Array<[string, string]> {
  const world = new World(SEED);
  const busiest = world.catalog.ledgers.find((ledger) => ledger.busiest);
  if (!busiest) throw new Error('no busiest ledger');
  const first = world.firstDay(busiest);
  const started = performance.now();
  world.stateBefore(busiest, first + 365);
  const busiestMs = performance.now() - started;
  let sales = 0;
  for (let day = first; day < first + 365; day++) sales += world.salesDay(busiest, day).sales.length;
  const allStarted = performance.now();
  for (const ledger of world.catalog.ledgers) if (ledger !== busiest) world.stateBefore(ledger, first + 365);
  return [
    [`generate a year of the busiest ledger (${dateString(first)} + 365 dates, ${sales.toLocaleString('en')} sales)`, `${busiestMs.toFixed(0)} ms (aim < 2000)`],
    ['generate the same year for the other 11 ledgers', `${(performance.now() - allStarted).toFixed(0)} ms`],
  ];
}

async function readEverything(server: Ready, traits: LedgerTraits[], rows: Array<[string, string]>): Promise<void> {
  const tokens = new Map(await Promise.all(server.partners.map(async (partner) => [partner.clientId, await fetchToken(server.large, partner)] as const)));
  const started = performance.now();
  let pages = 0;
  let entries = 0;
  const last = dayNumber(NOW.slice(0, 10));
  for (const ledger of traits) {
    const bearer = ledger.grantedTo.map((clientId) => tokens.get(clientId)).find((value) => value !== undefined);
    if (!bearer) continue;
    for (let day = dayNumber(ledger.firstLedgerDate); day <= last; day++) {
      const date = dateString(day);
      const paths = [`/report/v2/ledgers/${ledger.ledgerId}/funds/dates/${date}`, `/report/v2/ledgers/${ledger.ledgerId}/fees/dates/${date}`, `/sales/report/v1/ledgers/${ledger.ledgerId}/dates/${date}?pageSize=1000`];
      await Promise.all(
        paths.map(async (path) => {
          let cursor: string | undefined;
          do {
            const separator = path.includes('?') ? '&' : '?';
            const page = z.object({ items: z.array(z.unknown()), cursor: z.string().optional(), hasMore: z.boolean() }).loose().parse(await getJson(`${server.large}${path}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`, bearer));
            pages += 1;
            entries += page.items.length;
            cursor = page.hasMore ? page.cursor : undefined;
          } while (cursor);
        }),
      );
    }
  }
  rows.push([`read every date of every readable ledger once (${pages.toLocaleString('en')} pages, ${entries.toLocaleString('en')} entries)`, `${((performance.now() - started) / 1000).toFixed(1)} s`]);
}

async function main(): Promise<void> {
  const autocannon = loadAutocannon();
  const rows: Array<[string, string]> = generationTimes();
  const child = ServerProcess.start();
  try {
    const server = readyModel.parse(JSON.parse(await child.nextLine()));
    const demo = server.partners[0];
    if (!demo) throw new Error('no demo partner');
    rows.push(['emulator process RSS at start', `${((await child.memory()).rss / 2 ** 20).toFixed(0)} MiB`]);
    const traits = await new EmulatorAdmin(server.large).ledgers();
    const busiest = traits.find((ledger) => ledger.busiest);
    if (!busiest) throw new Error('no busiest ledger');
    const date = dateString(dayNumber(NOW.slice(0, 10)) - 1);
    const bearers = { small: await fetchToken(server.small, demo), large: await fetchToken(server.large, demo) };
    const cold = performance.now();
    await getJson(`${server.large}/report/v2/ledgers/${busiest.ledgerId}/funds/dates/${date}`, bearers.large);
    rows.push([`first (cold) Report page a year into the busiest ledger, over HTTP`, `${(performance.now() - cold).toFixed(0)} ms`]);
    const cases = [
      { label: 'warm Report date page, 100 entries', url: `${server.small}/report/v2/ledgers/${busiest.ledgerId}/funds/dates/${date}`, bearer: bearers.small, aim: 8000 },
      { label: 'warm Report date page, 1000 entries', url: `${server.large}/report/v2/ledgers/${busiest.ledgerId}/funds/dates/${date}`, bearer: bearers.large, aim: 1000 },
      { label: 'warm Sales date page, 100 entries', url: `${server.large}/sales/report/v1/ledgers/${busiest.ledgerId}/dates/${date}?pageSize=100`, bearer: bearers.large, aim: 0 },
      { label: 'warm Sales date page, 1000 entries', url: `${server.large}/sales/report/v1/ledgers/${busiest.ledgerId}/dates/${date}?pageSize=1000`, bearer: bearers.large, aim: 0 },
      { label: 'warm Sales feed page (closed dates), 1000 entries', url: `${server.large}/sales/report/v1/ledgers/${busiest.ledgerId}?pageSize=1000`, bearer: bearers.large, aim: 0 },
    ];
    for (const { label, url, bearer, aim } of cases) {
      const body = await (await fetch(url, { headers: { authorization: `Bearer ${bearer}` } })).text();
      const cpuBefore = await child.cpuMicros();
      const result = resultModel.parse(await autocannon({ url, connections: 16, duration: DURATION_SECONDS, headers: { authorization: `Bearer ${bearer}` } }));
      // The load generator shares the machine: the emulator's own CPU per answer says what serving costs.
      const cpuPerRequest = ((await child.cpuMicros()) - cpuBefore) / Math.max(1, result.requests.total);
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${label}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
      const size = `${(body.length / 1024).toFixed(0)} KiB`;
      rows.push([`${label} (${size}): requests/s, p50/p99 latency, throughput, emulator CPU`, `${result.requests.average.toFixed(0)}/s${aim ? ` (aim >= ${aim})` : ''}, ${result.latency.p50}/${result.latency.p99} ms, ${(result.throughput.average / 2 ** 20).toFixed(0)} MiB/s, emulator CPU ${cpuPerRequest.toFixed(0)} µs/answer`]);
    }
    await readEverything(server, traits, rows);
    const memory = await child.memory();
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    rows.push(['emulator process RSS after reading everything (before / after a GC; heap)', `${mib(memory.rssBeforeGc)} / ${mib(memory.rss)}; heap ${mib(memory.heapUsed)}`]);
  } finally {
    await child.stop();
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\nEmulator benchmark — seed "${SEED}", clock ${NOW}, Node ${process.version}, ${DURATION_SECONDS} s per load test\n`);
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
}

if (process.argv.includes('--serve')) await serve();
else await main();

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient, createCluster } from 'redis';
import { z } from 'zod';
import { credentialFingerprint, type CredentialFingerprint } from '../../src/sources/cache/keys.ts';
import { feedKeys, feeds } from '../../src/sync/keys.ts';
import { decodeState } from '../../src/sync/state.ts';
import { startRedisCluster, type TestCluster } from '../../test/support/redis-cluster.ts';
import { startRedis, type TestRedis } from '../../test/support/redis.ts';
import { describeCalls, startEmulatorProcess, type EmulatorProcess } from '../lib/emulator-process.ts';
import { baselineCheckout } from '../lib/gateway-process.ts';
import { ratio } from '../lib/measure.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';

export const name = 'sync';
export const description = 'npm run sync: a year of the busiest emulated ledger (funds, fees and Sales feeds) into a real redis-server';

const seed = 'demo';
/** A year after the busiest ledger's first sale. */
const now = '2027-03-17T12:00:00Z';
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

interface SyncRun {
  seconds: number;
  /** CPU seconds of the sync process, sampled until just before it ended. */
  cpuSeconds: number | null;
  /** The sync process's peak resident memory (`VmHWM`), as last read before it ended; null under `script`. */
  peakRssBytes: number | null;
}

/**
 * The Node options `npm run sync` gives the sync in `checkout` (its `package.json`, between
 * `node` and the start script), so that the benchmark runs it with the same heap.
 */
function syncNodeOptions(checkout: string): string[] {
  const scripts = z.object({ scripts: z.record(z.string(), z.string()) }).parse(JSON.parse(readFileSync(`${checkout}/package.json`, 'utf8'))).scripts;
  const options = /\bnode\s+(.*?)\s*scripts\/start\.mjs\b/.exec(scripts.sync ?? '')?.[1] ?? '';
  return options.split(/\s+/).filter((option) => option.startsWith('--'));
}

function peakRssOf(pid: number | undefined): number | null {
  try {
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  } catch {
    return null;
  }
}

/** How the progress is shown: not at all, as plain lines (stderr not a terminal), or as bars on a terminal. */
type Display = 'off' | 'lines' | 'bars';

function cpuSecondsOf(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * `src/sync/main.ts --once` as `npm run sync -- --once` runs it, pinned where the machine allows.
 * Bars need a terminal: `script` gives the sync a pseudo-terminal, as a person's shell would.
 * What it draws or writes is read and dropped here.
 */
function runSync(env: Record<string, string>, cpu: number | null, display: Display = 'off', checkout = repositoryRoot): Promise<SyncRun> {
  const command = [process.execPath, ...syncNodeOptions(checkout), ...process.execArgv, 'src/sync/main.ts', '--once'];
  const pinned = cpu === null ? command : ['taskset', '-c', String(cpu), ...command];
  const quoted = pinned.map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
  const [program = process.execPath, ...args] = display === 'bars' ? ['script', '-qfec', quoted, '/dev/null'] : pinned;
  const started = performance.now();
  const child = spawn(program, args, {
    cwd: checkout,
    env: { ...process.env, ...env, SYNC_PROGRESS: display },
    stdio: ['ignore', display === 'bars' ? 'pipe' : 'inherit', display === 'off' ? 'inherit' : 'pipe'],
  });
  child.stdout?.resume();
  child.stderr?.resume();
  // Under `script` the sync is a grandchild: its CPU is the sum over the tree under the child.
  const sample = () => (display === 'bars' ? treeCpuSecondsOf(child.pid) : cpuSecondsOf(child.pid));
  let cpuSeconds: number | null = null;
  let peakRssBytes: number | null = null;
  // The highest sample: once `script`'s child has ended and been reaped, the tree is `script`
  // alone, and its last samples would otherwise report next to nothing.
  const sampler = setInterval(() => {
    const now = sample();
    if (now !== null) cpuSeconds = Math.max(cpuSeconds ?? 0, now);
    if (display !== 'bars') peakRssBytes = peakRssOf(child.pid) ?? peakRssBytes;
  }, 100);
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => {
      clearInterval(sampler);
      if (code !== 0) reject(new Error(`the sync ended with ${signal ?? `exit code ${code}`}`));
      else resolve({ seconds: (performance.now() - started) / 1000, cpuSeconds, peakRssBytes });
    });
  });
}

/**
 * CPU seconds of `pid` and every process under it: `script`, the shell it starts, `taskset`'s
 * node and the esbuild service the TypeScript loader starts beside it. (Not the deepest process
 * alone: that is the esbuild service, which does next to nothing while the sync works.)
 */
function treeCpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  const tree = [pid];
  for (let index = 0; index < tree.length && tree.length < 32; index += 1) {
    const children = spawnSync('pgrep', ['-P', String(tree[index])], { encoding: 'utf8' }).stdout.trim().split('\n').filter((line) => line !== '');
    tree.push(...children.map(Number));
  }
  const seconds = tree.map(cpuSecondsOf).filter((value): value is number => value !== null);
  return seconds.length === 0 ? null : seconds.reduce((sum, value) => sum + value, 0);
}

function redisCpuSeconds(info: string): number {
  const read = (field: string) => Number(new RegExp(`^${field}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return read('used_cpu_user') + read('used_cpu_sys');
}

function usedMemory(info: string): number {
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0);
}

/** A plain connection to look at what the sync stored. */
function inspector(url: string) {
  return createClient({ url });
}
type Inspect = ReturnType<typeof inspector>;

/** One section of a node's INFO, on a connection of its own. */
async function nodeInfo(url: string, section: string): Promise<string> {
  const node = createClient({ url });
  await node.connect();
  try {
    return await node.info(section);
  } finally {
    node.destroy();
  }
}

/** Entries mirrored per feed, from the stored states (any node of a cluster redirects the reads). */
async function mirrored(read: (key: string) => Promise<string | null>, fp: CredentialFingerprint, ledgerId: string): Promise<Record<string, number>> {
  const entries: Record<string, number> = {};
  for (const feed of feeds) entries[feed] = decodeState(await read(feedKeys(fp, ledgerId, feed).state)).position;
  return entries;
}

export async function run(context: BenchContext): Promise<Row[]> {
  let emulator: EmulatorProcess | undefined;
  let redis: TestRedis | undefined;
  let cluster: TestCluster | undefined;
  const inspect: { client: Inspect | null } = { client: null };
  try {
    context.progress('starting the emulator and redis-server');
    emulator = await startEmulatorProcess({ seed, now, cpu: context.cores.upstream });
    redis = await startRedis();
    const busiest = (await emulator.admin.ledgers()).find((ledger) => ledger.busiest);
    const partner = (await emulator.admin.partners()).find((candidate) => busiest?.grantedTo.includes(candidate.clientId));
    if (busiest === undefined || partner === undefined) throw new Error('the emulator has no granted busiest ledger');
    const env = {
      REDIS_URL: redis.url,
      VIPPS_BASE_URL: emulator.url,
      VIPPS_CLIENT_ID: partner.clientId,
      VIPPS_CLIENT_SECRET: partner.clientSecret,
      SYNC_LEDGERS: busiest.ledgerId,
      LOG_LEVEL: 'warn',
    };
    const client = inspector(redis.url);
    inspect.client = client;
    await client.connect();
    // Redis shares the emulator's core: in production both are on other machines, not on the sync's core.
    const pinToUpstreamCore = (pid: string | undefined) => {
      if (context.cores.upstream !== null && pid !== undefined) spawnSync('taskset', ['-p', '-c', String(context.cores.upstream), pid], { stdio: 'ignore' });
    };
    pinToUpstreamCore(/^process_id:(\d+)/m.exec(await client.info('server'))?.[1]);
    const redisCpuBefore = redisCpuSeconds(await client.info('cpu'));
    const emulatorCpuBefore = emulator.cpuSeconds();

    context.progress(`ledger ${busiest.ledgerId}: first sync, from the start of every feed`);
    await emulator.admin.resetStats();
    const first = await runSync(env, context.cores.server);
    const firstCalls = await emulator.admin.stats();
    const emulatorCpu = emulator.cpuSeconds();
    const redisCpu = redisCpuSeconds(await client.info('cpu')) - redisCpuBefore;

    const fp = credentialFingerprint({ baseUrl: emulator.url, clientId: partner.clientId, clientSecret: partner.clientSecret });
    const entries = await mirrored((key) => client.get(key), fp, busiest.ledgerId);
    const total = Object.values(entries).reduce((sum, count) => sum + count, 0);
    const memory = usedMemory(await client.info('memory'));

    context.progress('a second sync right after: every feed said tryLater moments ago');
    await emulator.admin.resetStats();
    const second = await runSync(env, context.cores.server);
    const secondCalls = await emulator.admin.stats();

    // BENCH_BASELINE: the other checkout's first sync into an emptied Redis, between this one's
    // first run and its last, so the machine's drift shows in the two runs around it.
    const baselineDir = baselineCheckout();
    let baseline: { run: SyncRun; memory: number } | null = null;
    if (baselineDir !== undefined) {
      await client.flushAll();
      context.progress('first sync again, by the baseline checkout');
      const run = await runSync(env, context.cores.server, 'off', baselineDir);
      baseline = { run, memory: usedMemory(await client.info('memory')) };
      // Its states may be of another layout: only their position is read.
      let stored = 0;
      for (const feed of feeds) stored += z.object({ position: z.number() }).parse(JSON.parse((await client.get(feedKeys(fp, busiest.ledgerId, feed).state)) ?? '{}')).position;
      if (stored !== total) throw new Error(`the baseline sync mirrored ${stored} entries, not ${total}`);
    }

    // The same first sync again into an empty Redis, showing its progress as lines, then as bars
    // on a terminal, then with none once more (the drift of the machine between the runs).
    const again = async (display: Display): Promise<SyncRun> => {
      await client.flushAll();
      context.progress(`first sync again, progress: ${display}`);
      const run = await runSync(env, context.cores.server, display);
      const stored = Object.values(await mirrored((key) => client.get(key), fp, busiest.ledgerId)).reduce((sum, count) => sum + count, 0);
      if (stored !== total) throw new Error(`the sync with progress ${display} mirrored ${stored} entries, not ${total}`);
      return run;
    };
    const withLines = await again('lines');
    const withBars = await again('bars');
    const offAgain = await again('off');
    await client.flushAll();

    context.progress('starting a Redis Cluster (3 masters, a replica each) and the first sync into it');
    cluster = await startRedisCluster();
    for (const node of cluster.nodes) pinToUpstreamCore(/^process_id:(\d+)/m.exec(await nodeInfo(node.url, 'server'))?.[1]);
    const onCluster = await runSync({ ...env, REDIS_URL: cluster.url }, context.cores.server);
    const clusterClient = createCluster({ rootNodes: cluster.nodes.map((node) => ({ url: node.url })) });
    await clusterClient.connect();
    let clusterMemory = 0;
    let clusterStored = 0;
    try {
      clusterStored = Object.values(await mirrored((key) => clusterClient.get(key), fp, busiest.ledgerId)).reduce((sum, count) => sum + count, 0);
      for (const master of clusterClient.masters) {
        const info = await nodeInfo(`redis://${master.host}:${master.port}`, 'memory');
        clusterMemory += usedMemory(info);
      }
    } finally {
      clusterClient.destroy();
    }
    if (clusterStored !== total) throw new Error(`the sync on the cluster mirrored ${clusterStored} entries, not ${total}`);

    const busy = (cpu: number | null) => (cpu === null ? 'n/a' : `${cpu.toFixed(1)} s (${((cpu / first.seconds) * 100).toFixed(0)}% of a core)`);
    const rate = (run: SyncRun) => total / run.seconds;
    // On a shared machine the wall time moves with the neighbours' load; the sync's own CPU time
    // per entry is what the progress display or the cluster client adds to or takes from it.
    const cpuPerEntry = (run: SyncRun) => (run.cpuSeconds === null ? null : (run.cpuSeconds * 1e6) / total);
    const described = (run: SyncRun) => {
      const micro = cpuPerEntry(run);
      return `${run.seconds.toFixed(1)} s, ${rate(run).toFixed(0)} entries/s; sync CPU ${run.cpuSeconds?.toFixed(1) ?? 'n/a'} s (${micro?.toFixed(1) ?? 'n/a'} µs per entry)`;
    };
    const compared = (label: string, run: SyncRun, baseline: SyncRun): Row => {
      const [micro, base] = [cpuPerEntry(run), cpuPerEntry(baseline)];
      return {
        measure: label,
        value: `${described(run)}; ${ratio(rate(run), rate(baseline))} the rate and ${micro === null || base === null ? 'n/a' : ratio(micro, base)} the CPU per entry of no progress`,
      };
    };
    const perThousand = (run: SyncRun) => (run.cpuSeconds === null ? 'n/a' : `${((run.cpuSeconds * 1e6) / total).toFixed(0)} ms`);
    const bytesPerEntry = (bytes: number) => bytes / Math.max(1, total);
    const againstBaseline = (base: { run: SyncRun; memory: number }, ours: SyncRun): Row[] => {
      const [micro, baseMicro] = [cpuPerEntry(ours), cpuPerEntry(base.run)];
      return [
        { measure: 'baseline first sync (BENCH_BASELINE)', value: `${described(base.run)}; CPU per 1,000 entries ${perThousand(base.run)}; peak RSS ${mib(base.run.peakRssBytes)}` },
        { measure: 'baseline Redis memory after (used_memory)', value: `${(base.memory / 2 ** 20).toFixed(0)} MiB, ${bytesPerEntry(base.memory).toFixed(0)} bytes per entry` },
        {
          measure: 'this checkout against the baseline (mean of its two runs without progress)',
          value: `${ratio(rate(ours), rate(base.run))} the entries/s, ${micro === null || baseMicro === null ? 'n/a' : ratio(micro, baseMicro)} the sync CPU per entry, ${ratio(memory, base.memory)} the Redis memory`,
        },
      ];
    };
    const mean = (a: number | null, b: number | null) => (a === null || b === null ? null : (a + b) / 2);
    const noProgress = { seconds: (first.seconds + offAgain.seconds) / 2, cpuSeconds: mean(first.cpuSeconds, offAgain.cpuSeconds), peakRssBytes: first.peakRssBytes };
    const mib = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
    const options = (checkout: string) => syncNodeOptions(checkout).join(' ') || 'none';
    context.note(`ledger ${busiest.ledgerId} (busiest), ${now.slice(0, 10)} clock: a year of history; emulator seed "${seed}", Report pages of 1000, Sales pages of 1000`);
    context.note(
      `each run is the real entry (src/sync/main.ts --once) in its own process, with the Node options npm run sync gives it (${options(repositoryRoot)}); each page and its cursor stored in one Lua script`,
    );
    context.note('progress runs: the same first sync into an emptied Redis; "no progress" is the mean of the first run and the last one without progress');
    context.note('cluster: three masters with a replica each (redis-server, cluster-enabled), REDIS_URL listing the six nodes; replication included');
    if (baseline !== null && baselineDir !== undefined) {
      context.note(`baseline: src/sync/main.ts of ${baselineDir} (Node options: ${options(baselineDir)}) into an emptied Redis, after this checkout's first run and before its last`);
    }
    if (context.cores.server !== null) context.note(`pinned: the sync on CPU ${context.cores.server}; the emulator and every redis-server on CPU ${context.cores.upstream}`);
    return [
      { measure: 'entries mirrored (funds / fees / sales)', value: `${total} (${feeds.map((feed) => entries[feed]).join(' / ')})` },
      { measure: 'first sync: wall time (s)', value: first.seconds.toFixed(1) },
      { measure: 'first sync: entries per second into Redis', value: rate(first).toFixed(0) },
      { measure: 'first sync: upstream calls', value: describeCalls(firstCalls) },
      { measure: 'first sync: CPU of the sync process', value: busy(first.cpuSeconds) },
      { measure: 'first sync: CPU of the emulator', value: busy(emulatorCpu === null || emulatorCpuBefore === null ? null : emulatorCpu - emulatorCpuBefore) },
      { measure: 'first sync: CPU of redis-server', value: busy(redisCpu) },
      { measure: 'Redis memory after (used_memory)', value: `${(memory / 2 ** 20).toFixed(0)} MiB, ${bytesPerEntry(memory).toFixed(0)} bytes per entry` },
      { measure: 'first sync: sync CPU per 1,000 entries', value: perThousand(first) },
      { measure: 'first sync: peak RSS of the sync process', value: mib(first.peakRssBytes) },
      { measure: 'second sync right after: wall time (s), process start included', value: second.seconds.toFixed(1) },
      { measure: 'second sync right after: upstream calls', value: describeCalls(secondCalls) },
      { measure: 'first sync, no progress', value: described(first) },
      { measure: 'first sync, no progress, once more', value: described(offAgain) },
      compared('first sync, progress as lines (stderr not a terminal)', withLines, noProgress),
      { ...compared('first sync, progress as bars (a terminal)', withBars, noProgress) },
      compared('first sync into the Redis Cluster', onCluster, noProgress),
      ...(baseline === null ? [] : againstBaseline(baseline, noProgress)),
      { measure: 'Redis Cluster memory after (used_memory of the masters)', value: `${(clusterMemory / 2 ** 20).toFixed(0)} MiB, ${(clusterMemory / Math.max(1, total)).toFixed(0)} bytes per entry` },
    ];
  } finally {
    await inspect.client?.close();
    await emulator?.stop();
    await redis?.stop();
    await cluster?.stop();
  }
}

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { credentialFingerprint } from '../../src/sources/cache/keys.ts';
import { feedKeys, feeds } from '../../src/sync/keys.ts';
import { decodeState } from '../../src/sync/state.ts';
import { startRedis, type TestRedis } from '../../test/support/redis.ts';
import { describeCalls, startEmulatorProcess, type EmulatorProcess } from '../lib/emulator-process.ts';
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
}

function cpuSecondsOf(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** `src/sync/main.ts --once` as `npm run sync -- --once` runs it, pinned where the machine allows. */
function runSync(env: Record<string, string>, cpu: number | null): Promise<SyncRun> {
  const command = [process.execPath, ...process.execArgv, 'src/sync/main.ts', '--once'];
  const [program = process.execPath, ...args] = cpu === null ? command : ['taskset', '-c', String(cpu), ...command];
  const started = performance.now();
  const child = spawn(program, args, { cwd: repositoryRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  let cpuSeconds: number | null = null;
  const sampler = setInterval(() => (cpuSeconds = cpuSecondsOf(child.pid) ?? cpuSeconds), 100);
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => {
      clearInterval(sampler);
      if (code !== 0) reject(new Error(`the sync ended with ${signal ?? `exit code ${code}`}`));
      else resolve({ seconds: (performance.now() - started) / 1000, cpuSeconds });
    });
  });
}

function redisCpuSeconds(info: string): number {
  const read = (field: string) => Number(new RegExp(`^${field}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return read('used_cpu_user') + read('used_cpu_sys');
}

export async function run(context: BenchContext): Promise<Row[]> {
  let emulator: EmulatorProcess | undefined;
  let redis: TestRedis | undefined;
  const inspect = { client: null as ReturnType<typeof createClient> | null };
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
    inspect.client = createClient({ url: redis.url });
    await inspect.client.connect();
    // Redis shares the emulator's core: in production both are on other machines, not on the sync's core.
    const redisPid = /^process_id:(\d+)/m.exec(await inspect.client.info('server'))?.[1];
    if (context.cores.upstream !== null && redisPid !== undefined) {
      spawnSync('taskset', ['-p', '-c', String(context.cores.upstream), redisPid], { stdio: 'ignore' });
    }
    const redisCpuBefore = redisCpuSeconds(await inspect.client.info('cpu'));
    const emulatorCpuBefore = emulator.cpuSeconds();

    context.progress(`ledger ${busiest.ledgerId}: first sync, from the start of every feed`);
    await emulator.admin.resetStats();
    const first = await runSync(env, context.cores.server);
    const firstCalls = await emulator.admin.stats();
    const emulatorCpu = emulator.cpuSeconds();
    const redisCpu = redisCpuSeconds(await inspect.client.info('cpu')) - redisCpuBefore;

    const fp = credentialFingerprint({ baseUrl: emulator.url, clientId: partner.clientId, clientSecret: partner.clientSecret });
    const entries: Record<string, number> = {};
    for (const feed of feeds) {
      entries[feed] = decodeState(await inspect.client.get(feedKeys(fp, busiest.ledgerId, feed).state)).position;
    }
    const total = Object.values(entries).reduce((sum, count) => sum + count, 0);
    const memory = Number(/^used_memory:(\d+)/m.exec(await inspect.client.info('memory'))?.[1] ?? 0);

    context.progress('a second sync right after: every feed said tryLater moments ago');
    await emulator.admin.resetStats();
    const second = await runSync(env, context.cores.server);
    const secondCalls = await emulator.admin.stats();

    const busy = (cpu: number | null) => (cpu === null ? 'n/a' : `${cpu.toFixed(1)} s (${((cpu / first.seconds) * 100).toFixed(0)}% of a core)`);
    context.note(`ledger ${busiest.ledgerId} (busiest), ${now.slice(0, 10)} clock: a year of history; emulator seed "${seed}", Report pages of 1000, Sales pages of 1000`);
    context.note('each run is the real entry (src/sync/main.ts --once) in its own process; each page and its cursor stored in one Lua script');
    if (context.cores.server !== null) context.note(`pinned: the sync on CPU ${context.cores.server}; the emulator and redis-server on CPU ${context.cores.upstream}`);
    return [
      { measure: 'entries mirrored (funds / fees / sales)', value: `${total} (${feeds.map((feed) => entries[feed]).join(' / ')})` },
      { measure: 'first sync: wall time (s)', value: first.seconds.toFixed(1) },
      { measure: 'first sync: entries per second into Redis', value: (total / first.seconds).toFixed(0) },
      { measure: 'first sync: upstream calls', value: describeCalls(firstCalls) },
      { measure: 'first sync: CPU of the sync process', value: busy(first.cpuSeconds) },
      { measure: 'first sync: CPU of the emulator', value: busy(emulatorCpu === null || emulatorCpuBefore === null ? null : emulatorCpu - emulatorCpuBefore) },
      { measure: 'first sync: CPU of redis-server', value: busy(redisCpu) },
      { measure: 'Redis memory after (used_memory)', value: `${(memory / 2 ** 20).toFixed(0)} MiB, ${(memory / Math.max(1, total)).toFixed(0)} bytes per entry` },
      { measure: 'second sync right after: wall time (s), process start included', value: second.seconds.toFixed(1) },
      { measure: 'second sync right after: upstream calls', value: describeCalls(secondCalls) },
    ];
  } finally {
    await inspect.client?.close();
    await emulator?.stop();
    await redis?.stop();
  }
}

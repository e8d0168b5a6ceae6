import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeMachine, machineLine } from './lib/machine.ts';
import { scenarioOf, type BenchContext, type Scenario } from './lib/scenario.ts';
import { formatTable } from './lib/table.ts';

/**
 * `npm run bench [-- name ...]`: every scenario in `bench/scenarios/`, or the ones named, one
 * table each, after the facts of the machine. Tables go to stdout, progress to stderr.
 */

const scenarioDirectory = fileURLToPath(new URL('./scenarios/', import.meta.url));

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${raw}`);
  return value;
}

async function loadScenarios(): Promise<Scenario[]> {
  const files = (await readdir(scenarioDirectory)).filter((file) => file.endsWith('.ts')).sort();
  return Promise.all(
    files.map(async (file) => {
      const module: Record<string, unknown> = await import(pathToFileURL(`${scenarioDirectory}${file}`).href);
      return scenarioOf(`bench/scenarios/${basename(file)}`, module);
    }),
  );
}

function choose(all: Scenario[], names: string[]): Scenario[] {
  if (names.length === 0) return all;
  const unknown = names.filter((name) => !all.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown scenario ${unknown.join(', ')}; there are: ${all.map((scenario) => scenario.name).join(', ')}`);
  }
  return all.filter((scenario) => names.includes(scenario.name));
}

async function main(): Promise<void> {
  const chosen = choose(await loadScenarios(), process.argv.slice(2));
  const machine = describeMachine();
  const settings = {
    durationSeconds: setting('BENCH_SECONDS', 10),
    rounds: Math.max(1, setting('BENCH_ROUNDS', 4)),
    warmupSeconds: setting('BENCH_WARMUP_SECONDS', 3),
    connections: setting('BENCH_CONNECTIONS', 8),
  };
  console.log(machineLine(machine));
  console.log(
    `load: ${settings.connections} connections, ${settings.warmupSeconds} s warm-up, ${settings.durationSeconds} s measured per server in ${settings.rounds} alternating rounds`,
  );
  for (const scenario of chosen) {
    const notes: string[] = [];
    const context: BenchContext = {
      ...settings,
      cores: machine.canPin ? { server: 0, upstream: 1 } : { server: null, upstream: null },
      progress: (message) => process.stderr.write(`[${scenario.name}] ${message}\n`),
      note: (line) => notes.push(line),
    };
    const started = performance.now();
    const rows = await scenario.run(context);
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    console.log(`\n## ${scenario.name} — ${scenario.description} (${seconds} s)\n`);
    console.log(formatTable(rows));
    if (context.cores.server !== null) notes.push(`pinned: server under test on CPU ${context.cores.server}, emulator on CPU ${context.cores.upstream}, load generator unpinned`);
    for (const line of notes) console.log(`- ${line}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

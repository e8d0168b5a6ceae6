import { z } from 'zod';

/**
 * What a benchmark scenario is: a file in `bench/scenarios/` exporting `name`, `description` and
 * `run(context)`. `bench/run.ts` finds every such file, so adding a scenario is adding a file.
 */

/** One line of a scenario's table; the table's columns are the keys, in order of first use. */
export type Row = Record<string, string | number>;

export const rowModel = z.record(z.string(), z.union([z.string(), z.number()]));

export interface BenchContext {
  /** Measured seconds of load per server (`BENCH_SECONDS`, default 10). */
  durationSeconds: number;
  /** Slices the measured seconds are cut into, alternating between compared servers (`BENCH_ROUNDS`, default 4). */
  rounds: number;
  /** Seconds of load before each measured run, thrown away (`BENCH_WARMUP_SECONDS`, default 3). */
  warmupSeconds: number;
  /** Concurrent connections of each load run (`BENCH_CONNECTIONS`, default 8). */
  connections: number;
  /**
   * The core for the server under test and the one for what it calls (the emulator), kept apart
   * so one cannot slow the other; null when the machine cannot pin (see the machine line).
   */
  cores: { server: number | null; upstream: number | null };
  /** Progress for whoever waits; goes to stderr so that stdout holds only the results. */
  progress(message: string): void;
  /** A line printed under the scenario's table: what was measured, on what data. */
  note(line: string): void;
}

export interface Scenario {
  name: string;
  description: string;
  run(context: BenchContext): Promise<Row[]>;
}

/** A scenario module's exports, checked because they are loaded by file name at run time. */
export function scenarioOf(file: string, module: Record<string, unknown>): Scenario {
  const { name, description, run } = module;
  if (typeof name !== 'string' || typeof description !== 'string' || typeof run !== 'function') {
    throw new Error(`${file} must export name and description (strings) and run(context)`);
  }
  return {
    name,
    description,
    run: async (context) => z.array(rowModel).parse(await run(context)),
  };
}

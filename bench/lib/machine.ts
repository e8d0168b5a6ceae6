import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';

/** The facts a figure depends on, printed with every run so that figures are never read without them. */

export interface Machine {
  node: string;
  cpus: number;
  cpuModel: string;
  os: string;
  memoryGiB: number;
  /** Whether processes can be pinned to a core (`taskset` on the PATH and at least two cores). */
  canPin: boolean;
}

function hasTaskset(): boolean {
  return spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status === 0;
}

export function describeMachine(): Machine {
  const count = availableParallelism();
  return {
    node: process.version,
    cpus: count,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    os: `${platform()} ${release()}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    canPin: count >= 2 && hasTaskset(),
  };
}

export function machineLine(machine: Machine): string {
  const pinning = machine.canPin ? 'taskset available' : 'no pinning (taskset missing or one core)';
  return `Node ${machine.node}, ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.os}, ${machine.memoryGiB} GiB, ${pinning}`;
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

/**
 * Servers under test run in child processes of their own, each optionally pinned to one core,
 * so that the gateway, the upstream and the load generator do not share a CPU by accident.
 */

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const startTimeoutMs = 60_000;
const stopTimeoutMs = 10_000;

export interface ServerProcessOptions {
  /** Names the process in messages. */
  label: string;
  /** A TypeScript entry, relative to the repository root (`src/main.ts`). */
  entry: string;
  /** Plain Node without the benchmark's TypeScript loader: for a compiled entry (`scripts/start.mjs`). */
  plain?: boolean;
  /** Arguments after the entry (a command line tool's options). */
  args?: readonly string[];
  /** Another checkout to run the entry from (a version to compare with); this one when left out. */
  checkout?: string;
  env: Record<string, string>;
  /** The core to pin the process to, or null to let the OS place it. */
  cpu: number | null;
  /** A stdout line that says the server listens; its first group is the server's URL. */
  listening: RegExp;
}

/** Clock ticks per second of the CPU times in `/proc/<pid>/stat`. */
const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

const running = new Set<ChildProcess>();
// A benchmark that fails half-way must not leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class ServerProcess {
  private constructor(
    readonly label: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  static start(options: ServerProcessOptions): Promise<ServerProcess> {
    // The same Node and the same TypeScript loader this benchmark runs under.
    const command = [process.execPath, ...(options.plain === true ? [] : process.execArgv), options.entry, ...(options.args ?? [])];
    const pinned = options.cpu === null ? command : ['taskset', '-c', String(options.cpu), ...command];
    const [program = process.execPath, ...args] = pinned;
    const child = spawn(program, args, {
      cwd: options.checkout ?? repositoryRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[${options.label}] ${chunk.toString()}`));

    return new Promise((resolve, reject) => {
      const recent: string[] = [];
      let settled = false;
      const fail = (reason: string) => {
        if (settled) return;
        settled = true;
        child.kill('SIGKILL');
        reject(new Error(`${options.label} ${reason}; its last output:\n${recent.join('\n')}`));
      };
      const timer = setTimeout(() => fail(`did not listen within ${startTimeoutMs / 1000} s`), startTimeoutMs);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(`ended before listening (${signal ?? `exit code ${code}`})`);
      });
      // Read stdout to its end even after the server is up: a full pipe would stall the server.
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (settled) return;
        recent.push(line);
        if (recent.length > 20) recent.shift();
        const url = options.listening.exec(line)?.[1];
        if (url === undefined) return;
        settled = true;
        clearTimeout(timer);
        resolve(new ServerProcess(options.label, url, child));
      });
    });
  }

  /** CPU time (user and system) the process has used so far, or null where `/proc` cannot tell. */
  cpuSeconds(): number | null {
    try {
      const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    } catch {
      return null;
    }
  }

  /** Resident memory now, in bytes, or null where `/proc` cannot tell. */
  rssBytes(): number | null {
    try {
      const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'))?.[1];
      return kib === undefined ? null : Number(kib) * 1024;
    } catch {
      return null;
    }
  }

  /** SIGTERM, so the server drains and closes as in production; SIGKILL when it takes too long. */
  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const forced = setTimeout(() => this.child.kill('SIGKILL'), stopTimeoutMs);
      this.child.once('exit', () => {
        clearTimeout(forced);
        resolve();
      });
      this.child.kill('SIGTERM');
    });
  }
}

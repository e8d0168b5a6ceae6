import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { testNow } from './clock.ts';

/**
 * The real entry of `npm start` (`src/main.ts` through tsx) as a child process on a free
 * loopback port: what an operator runs, reached over real HTTP, signalled as an operator
 * signals it. Its log lines are kept for the test to read.
 */

export interface LogLine {
  msg: string;
  [field: string]: unknown;
}

const logLineModel = z.object({ msg: z.string() }).loose();

export interface EntryProcess {
  /** The GraphQL endpoint, `http://127.0.0.1:<port>/graphql`. */
  url: string;
  child: ChildProcess;
  /** Every line of stdout and stderr so far. */
  lines: string[];
  /** The JSON log lines so far, from line `from` on. */
  logs(from?: number): LogLine[];
  /** The first log line from line `from` on that `matches`, waiting for it as long as `timeoutMs`. */
  waitForLog(matches: (line: LogLine) => boolean, from?: number, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM and its orderly stop; SIGKILL when that takes longer than a few seconds. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A suite that fails half-way leaves no gateway behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function parsed(line: string): LogLine | null {
  if (!line.startsWith('{')) return null;
  try {
    const result = logLineModel.safeParse(JSON.parse(line));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

export async function startEntry(env: Record<string, string>): Promise<EntryProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: process.cwd(),
    // Nothing of the test's own environment: only what the test configures.
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', EMULATOR_NOW: testNow, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  const keep = (line: string) => {
    lines.push(line);
    for (const listener of listeners) listener();
  };
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      const graphiql = /^GraphiQL: (\S+)$/.exec(line)?.[1];
      if (graphiql !== undefined) resolve(graphiql);
    });
    createInterface({ input: child.stderr! }).on('line', keep);
    child.once('exit', (code) => reject(new Error(`the entry exited (${code}) before listening:\n${lines.join('\n')}`)));
  });

  const logs = (from = 0) => lines.slice(from).flatMap((line) => parsed(line) ?? []);
  return {
    url,
    child,
    lines,
    logs,
    waitForLog: (matches, from = 0, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = logs(from).find(matches);
          if (found === undefined) return;
          done();
          resolve(found);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no such log line within ${timeoutMs} ms; the last lines:\n${lines.slice(-20).join('\n')}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(forced);
    },
  };
}

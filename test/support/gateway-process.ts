import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { testNow } from './clock.ts';

/**
 * The real entry (`src/main.ts` through tsx, or `npm start` as an operator runs it) as a child
 * process on a free loopback port, for what only a process shows: its memory, its signals, its
 * logs.
 */

const logLineModel = z.object({ msg: z.string(), url: z.string().optional() }).loose();

/** A JSON log line of the process. */
export type LogLine = z.infer<typeof logLineModel>;

function logLineOf(line: string): LogLine | null {
  if (!line.startsWith('{')) return null;
  try {
    const parsed = logLineModel.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface GatewayProcess {
  child: ChildProcess;
  /** Everything it wrote, stdout and stderr, a line each. */
  lines: string[];
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  /** Its embedded emulator, when it started one. */
  emulatorUrl: string | null;
  /** Its JSON log lines, from line `from` of `lines` on. */
  logs(from?: number): LogLine[];
  /** The first log line from line `from` on that `matches`, waited for as long as `timeoutMs`. */
  waitForLog(matches: (line: LogLine) => boolean, from?: number, timeoutMs?: number): Promise<LogLine>;
  /** Resident memory now, in bytes (Linux). */
  rss(): Promise<number>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A suite that fails half-way leaves no gateway behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface GatewayProcessOptions {
  /** `npm start`: npm, then the compiled gateway (built first when `dist/` is missing or stale). */
  npmStart?: boolean;
}

export async function startGatewayProcess(env: Record<string, string> = {}, options: GatewayProcessOptions = {}): Promise<GatewayProcess> {
  const [command, args] = options.npmStart ? ['npm', ['start']] : [process.execPath, ['--expose-gc', '--import', 'tsx', 'src/main.ts']];
  const child = spawn(command, args, {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', EMULATOR_NOW: testNow, LOG_LEVEL: 'info', ANSWER_CACHE: 'false', ...env },
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
  let emulatorUrl: string | null = null;
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      const graphiql = /^GraphiQL: (\S+)$/.exec(line);
      if (graphiql?.[1]) resolve(graphiql[1]);
      const parsed = logLineOf(line);
      if (parsed?.msg.startsWith('no VIPPS_BASE_URL') && parsed.url) emulatorUrl = parsed.url;
    });
    createInterface({ input: child.stderr! }).on('line', keep);
    child.once('exit', (code) => reject(new Error(`the gateway exited (${code}) before listening:\n${lines.join('\n')}`)));
  });
  const logs = (from = 0) => lines.slice(from).flatMap((line) => logLineOf(line) ?? []);
  return {
    child,
    lines,
    url,
    emulatorUrl,
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
    async rss() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
      if (kib === undefined) throw new Error('no VmRSS in /proc status');
      return Number(kib) * 1024;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

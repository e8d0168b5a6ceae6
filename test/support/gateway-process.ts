import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { testNow } from './clock.ts';

/**
 * The real entry (`src/main.ts` through tsx) as a child process on a free loopback port, for
 * what only a process shows: its memory, its signals, its logs.
 */

const logLineModel = z.object({ msg: z.string(), url: z.string().optional() }).loose();

export interface GatewayProcess {
  child: ChildProcess;
  /** Everything it wrote, stdout and stderr, a line each. */
  lines: string[];
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  /** Its embedded emulator, when it started one. */
  emulatorUrl: string | null;
  /** Resident memory now, in bytes (Linux). */
  rss(): Promise<number>;
  stop(): Promise<void>;
}

export async function startGatewayProcess(env: Record<string, string> = {}): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'src/main.ts'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', EMULATOR_NOW: testNow, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let emulatorUrl: string | null = null;
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const graphiql = /^GraphiQL: (\S+)$/.exec(line);
      if (graphiql?.[1]) resolve(graphiql[1]);
      const parsed = line.startsWith('{') ? logLineModel.safeParse(JSON.parse(line)) : null;
      if (parsed?.success && parsed.data.msg.startsWith('no VIPPS_BASE_URL') && parsed.data.url) emulatorUrl = parsed.data.url;
    });
    createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    child.once('exit', (code) => reject(new Error(`the gateway exited (${code}) before listening:\n${lines.join('\n')}`)));
  });
  return {
    child,
    lines,
    url,
    emulatorUrl,
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

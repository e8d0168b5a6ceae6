import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.ts';

/**
 * A real `redis-server` for tests: its own port and folder, no persistence, gone when the test
 * process exits. `kill` sends any signal (SIGKILL for a crash, SIGSTOP/SIGCONT for a hang) and
 * `restart` brings a fresh, empty server back on the same port.
 */
export interface TestRedis {
  url: string;
  port: number;
  kill(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const missingBinary = "redis-server not found: install it with 'apt-get install redis-server'";
const running = new Set<ChildProcess>();
const folders = new Set<string>();

// A suite that crashes or forgets `stop()` still leaves no server and no folder behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** `extraArgs`: more `redis-server` options (`--cluster-enabled yes`, …). */
export async function startRedis(extraArgs: readonly string[] = []): Promise<TestRedis> {
  const launcher = redisLauncher();
  const dir = mkdtempSync(join(tmpdir(), 'rgw-redis-'));
  folders.add(dir);
  const port = await freePort();
  let child = await launch(launcher, port, dir, extraArgs);

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const exited = exitOf(child);
    child.kill(signal);
    // A stopped or continued process lives on; anything else is awaited so the port is free.
    if (signal !== 'SIGSTOP' && signal !== 'SIGCONT') await exited;
  };

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: async () => {
      if (child.exitCode === null && child.signalCode === null) await kill('SIGKILL');
      child = await launch(launcher, port, dir, extraArgs);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) await kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      folders.delete(dir);
    },
  };
}

/**
 * Test workers can be killed without running 'exit' handlers. Where util-linux `setpriv` exists,
 * the kernel kills the server with its parent; `setpriv` execs, so signals still reach Redis.
 */
type Launcher = (args: string[]) => [file: string, args: string[]];

function redisLauncher(): Launcher {
  const redisServer = onPath('redis-server');
  if (redisServer === null) throw new Error(missingBinary);
  const setpriv = onPath('setpriv');
  if (setpriv === null) return (args) => [redisServer, args];
  return (args) => [setpriv, ['--pdeathsig', 'SIGKILL', redisServer, ...args]];
}

export function onPath(binary: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

async function launch(launcher: Launcher, port: number, dir: string, extraArgs: readonly string[]): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs];
  const [file, fileArgs] = launcher(args);
  const child = spawn(file, fileArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const failed = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`redis-server on port ${port} exited (${code ?? signal}) before answering: ${stderr}`)),
    );
  });
  failed.catch(() => {});
  try {
    await Promise.race([failed, untilPong(port)]);
  } catch (error: unknown) {
    child.kill('SIGKILL');
    throw error;
  }
  return child;
}

async function untilPong(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answersPing(port)) return;
    await sleep(20);
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(500, () => socket.destroy());
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}


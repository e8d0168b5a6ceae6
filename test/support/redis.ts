import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';

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

process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'rgw-redis-'));
  const port = await freePort();
  let child = await launch(port, dir);

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
      child = await launch(port, dir);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) await kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One redis-server for the enclosing suite: started before its tests, stopped after them. */
export function useRedis(): TestRedis {
  let server: TestRedis | undefined;
  const current = () => {
    if (server === undefined) throw new Error('redis-server is started in beforeAll: use it inside a test or hook');
    return server;
  };
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get url() {
      return current().url;
    },
    get port() {
      return current().port;
    },
    kill: (signal) => current().kill(signal),
    restart: () => current().restart(),
    stop: () => current().stop(),
  };
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(missingBinary) : error),
    );
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

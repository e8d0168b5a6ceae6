import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import keySlot from 'cluster-key-slot';
import { createClient } from 'redis';
import { setTimeout as sleep } from 'node:timers/promises';
import { onPath, startRedis, type TestRedis } from './redis.ts';

/**
 * A real Redis Cluster for tests: three masters with a replica each, six `redis-server`s on
 * loopback ports in temporary folders, joined by `redis-cli --cluster create`. A node that stops
 * answering is given up after a second, so a replica takes over a killed master within seconds.
 */
export interface TestCluster {
  nodes: TestRedis[];
  /** Every node, as `REDIS_URL` lists them. */
  url: string;
  /** The node serving `key` as master now, as the first node that answers sees it. */
  masterOf(key: string): Promise<TestRedis>;
  stop(): Promise<void>;
}

const run = promisify(execFile);
const nodeTimeoutMs = 1_000;

async function clusterInfo(port: number): Promise<{ state: string; slots: Array<{ from: number; to: number; port: number }> }> {
  const client = createClient({ url: `redis://127.0.0.1:${port}` });
  await client.connect();
  try {
    const info = await client.clusterInfo();
    const state = /^cluster_state:(\w+)/m.exec(info)?.[1] ?? 'unknown';
    const slots = (await client.clusterSlots()).map((range) => ({ from: range.from, to: range.to, port: range.master.port }));
    return { state, slots };
  } finally {
    client.destroy();
  }
}

export async function startRedisCluster(): Promise<TestCluster> {
  const redisCli = onPath('redis-cli');
  if (redisCli === null) throw new Error("redis-cli not found: install it with 'apt-get install redis-server'");
  const args = ['--cluster-enabled', 'yes', '--cluster-node-timeout', String(nodeTimeoutMs), '--cluster-replica-validity-factor', '0'];
  const nodes = await Promise.all(Array.from({ length: 6 }, () => startRedis(args)));
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    await run(redisCli, ['--cluster', 'create', ...nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-replicas', '1', '--cluster-yes'], { timeout: 30_000 });
    // Every node must agree that all slots are served before a client asks for the map.
    const deadline = Date.now() + 20_000;
    for (const node of nodes) {
      while ((await clusterInfo(node.port)).state !== 'ok') {
        if (Date.now() > deadline) throw new Error(`cluster node ${node.port} did not reach cluster_state:ok`);
        await sleep(100);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const byPort = new Map(nodes.map((node) => [node.port, node]));
  return {
    nodes,
    url: nodes.map((node) => node.url).join(','),
    async masterOf(key) {
      for (const node of nodes) {
        const slots = await clusterInfo(node.port).then(({ slots: ranges }) => ranges, () => null);
        if (slots === null) continue;
        const slot = keySlot(key);
        const port = slots.find((range) => range.from <= slot && slot <= range.to)?.port;
        const master = port === undefined ? undefined : byPort.get(port);
        if (master === undefined) throw new Error(`no master serves slot ${slot}`);
        return master;
      }
      throw new Error('no cluster node answers');
    },
    stop,
  };
}

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../test/support/free-port.ts';
import type { Partner } from '../emulator-process.ts';
import { ServerProcess } from '../processes.ts';

/**
 * GraphQL Mesh and Hive Gateway as the benchmark runs them: installed from `bench/mesh/`'s own
 * lock (never by the product's `npm ci`), the supergraph composed by Mesh's CLI from the two
 * OpenAPI documents over this run's emulator, and served by Hive Gateway's CLI in a child
 * process like every other server under test.
 */

const meshDirectory = fileURLToPath(new URL('../../mesh/', import.meta.url));
const composeCli = join(meshDirectory, 'node_modules/@graphql-mesh/compose-cli/esm/bin.js');
const gatewayCli = join(meshDirectory, 'node_modules/@graphql-hive/gateway/dist/bin.js');

/** A command to its end, its output passed on to stderr; an error naming it when it fails. */
function runToEnd(command: string, args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.join('').slice(-3000)}`))));
  });
}

/** `npm ci` in `bench/mesh/` when its dependencies are not there yet (about a minute, once). */
export async function installMesh(progress: (line: string) => void): Promise<void> {
  if (existsSync(composeCli) && existsSync(gatewayCli)) return;
  progress('installing GraphQL Mesh and Hive Gateway into bench/mesh/node_modules (npm ci, once)');
  await runToEnd('npm', ['ci', '--no-audit', '--no-fund'], { cwd: meshDirectory });
}

export interface Supergraph {
  path: string;
  remove(): Promise<void>;
}

/** The supergraph of `bench/mesh/mesh.config.mjs` over an emulator, in a temporary file. */
export async function composeSupergraph(upstreamUrl: string): Promise<Supergraph> {
  const directory = await mkdtemp(join(tmpdir(), 'mesh-supergraph-'));
  const path = join(directory, 'supergraph.graphql');
  try {
    await runToEnd(process.execPath, [composeCli, '--output', path], { cwd: meshDirectory, env: { MESH_UPSTREAM_URL: upstreamUrl } });
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return { path, remove: () => rm(directory, { recursive: true, force: true }) };
}

export interface MeshGatewayOptions {
  upstreamUrl: string;
  partner: Pick<Partner, 'clientId' | 'clientSecret'>;
  supergraph: Supergraph;
  cpu: number | null;
  label: string;
  /** Hive Gateway's response cache on (`responseCaching`), else its defaults. */
  responseCache: boolean;
}

/** Hive Gateway's CLI on the supergraph; its `url` is the origin, GraphQL is at `/graphql`. */
export async function startMeshGateway(options: MeshGatewayOptions): Promise<ServerProcess> {
  // Hive Gateway's CLI prints the port it was given, so it is given one.
  const port = await freePort();
  return ServerProcess.start({
    label: options.label,
    entry: gatewayCli,
    plain: true,
    args: ['supergraph', '--config-path', join(meshDirectory, 'gateway.config.mjs'), '--host', '127.0.0.1', '--port', String(port)],
    env: {
      MESH_UPSTREAM_URL: options.upstreamUrl,
      MESH_CLIENT_ID: options.partner.clientId,
      MESH_CLIENT_SECRET: options.partner.clientSecret,
      MESH_SUPERGRAPH: options.supergraph.path,
      MESH_RESPONSE_CACHE: String(options.responseCache),
      NO_COLOR: '1',
    },
    cpu: options.cpu,
    listening: /Listening on (http:\/\/[^\s\x1b]+)/,
  });
}

import { test as base } from 'vitest';
import type { DemoPartner, EmulatorOptions } from '../../src/emulator/index.ts';
import type { Upstream, UpstreamHttpOptions } from '../../src/sources/index.ts';
import { startTestEmulator, type TestEmulator } from './emulator.ts';
import type { ComposedGateway, GatewayOptions } from './gateway.ts';
import { startRedis, type TestRedis } from './redis.ts';

/**
 * The suites' one harness, as vitest fixtures. A test names what it needs and gets it started:
 *
 * - `emulator` (one per file): the emulator over real HTTP at the test clock, with its typed
 *   admin client (`emulator.admin`, also `admin`); `test.override('emulatorOptions', …)` at the
 *   top of a file sets its seed, page size or token lifetime;
 * - `gateway` (one per test): a fresh gateway of the demo partner, composed from configuration as
 *   `npm start` composes it, called through `execute(document, variables)`;
 * - `openGateway(options)`: more gateways (another partner, configuration, Redis), closed with the file;
 * - `direct` and `openUpstream(options)`: upstream clients without resilience or cache, for what
 *   upstream answers and for the figures a test expects;
 * - `redis` (one per file, only when asked for): a real `redis-server`.
 *
 * The gateway's and the upstream client's modules load when a file first asks for them: a suite
 * of the emulator alone does not build the schema.
 */

export type OpenGateway = (options?: GatewayOptions) => Promise<ComposedGateway>;
export type OpenUpstream = (options?: Partial<UpstreamHttpOptions> & { partner?: DemoPartner }) => Upstream;

/** Keeps what a factory fixture hands out, and closes all of it when the fixture's scope ends. */
function closingAll<T extends { close(): Promise<void> }>(onCleanup: (cleanup: () => Promise<void>) => void): (opened: T) => T {
  const all: T[] = [];
  onCleanup(async () => {
    await Promise.all(all.map((item) => item.close()));
  });
  return (opened) => {
    all.push(opened);
    return opened;
  };
}

/** The emulator's own defaults (seed 'demo', pages of 1000, tokens of 900 s) at the test clock. */
const defaultEmulatorOptions: EmulatorOptions = {};

export const test = base
  .extend('emulatorOptions', { scope: 'file' }, defaultEmulatorOptions)
  .extend('emulator', { scope: 'file' }, async ({ emulatorOptions }, { onCleanup }): Promise<TestEmulator> => {
    const emulator = await startTestEmulator(emulatorOptions);
    onCleanup(() => emulator.close());
    return emulator;
  })
  .extend('admin', { scope: 'file' }, ({ emulator }) => emulator.admin)
  .extend('redis', { scope: 'file' }, async ({}, { onCleanup }): Promise<TestRedis> => {
    const redis = await startRedis();
    onCleanup(() => redis.stop());
    return redis;
  })
  .extend('openUpstream', { scope: 'file' }, async ({ emulator }, { onCleanup }): Promise<OpenUpstream> => {
    const { plainUpstream } = await import('./upstream.ts');
    const keep = closingAll<Upstream>(onCleanup);
    return ({ partner = emulator.partner, ...options } = {}) => keep(plainUpstream(emulator.url, partner, options));
  })
  .extend('direct', { scope: 'file' }, ({ openUpstream }) => openUpstream())
  .extend('openGateway', { scope: 'file' }, async ({ emulator }, { onCleanup }): Promise<OpenGateway> => {
    const { composeGateway } = await import('./gateway.ts');
    const keep = closingAll<ComposedGateway>(onCleanup);
    return async (options) => keep(await composeGateway(emulator, options));
  })
  .extend('gateway', async ({ emulator }, { onCleanup }): Promise<ComposedGateway> => {
    const { composeGateway } = await import('./gateway.ts');
    const gateway = await composeGateway(emulator);
    onCleanup(() => gateway.close());
    return gateway;
  });

export const it = test;

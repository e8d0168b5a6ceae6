import { createServer, type Server } from 'node:http';
import { z } from 'zod';
import type { EmulatorContext } from './api/context.ts';
import { TokenAuthority } from './auth/tokens.ts';
import { Clock } from './clock.ts';
import type { DemoPartner } from './data/catalog.ts';
import { Lru } from './data/lru.ts';
import { dayNumber } from './data/calendar.ts';
import { World } from './data/world.ts';
import { Faults } from './http/faults.ts';
import { createRequestHandler, type PendingWork } from './http/server.ts';
import { Stats } from './http/stats.ts';

/**
 * The Vipps MobilePay emulator: token endpoint, Report API v2 and Sales API v1 over plain
 * node:http, with deterministic data from a seed. Importing this module starts nothing.
 */

export type { DemoPartner } from './data/catalog.ts';
export { randomAdminToken } from './http/admin-guard.ts';

export interface EmulatorOptions {
  /** Everything generated derives from it; default 'demo'. */
  seed?: string;
  /** A fixed ISO time or a clock; default the real time. */
  now?: string | (() => Date);
  /** Lifetime of access tokens; default 900. */
  tokenTtlSeconds?: number;
  /** Report API page size (the `Vipps-Feed-Page-Size` header); default 1000. */
  reportPageSize?: number;
  /** The bearer token the `/__emulator/*` admin routes ask for; left out, they are open. */
  adminToken?: string;
  /**
   * One ledger date that books outsized entries: two top-ups of 2^52 minor units, each taken back
   * by a correction, so that a sum over the date is beyond ±(2^53 − 1). For tests of exact sums;
   * never on by default.
   */
  outsizedDate?: { ledgerId: string; date: string };
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:43210, no trailing slash. */
  url: string;
  port: number;
  /** partners[0] is the demo partner, granted most ledgers. */
  partners: DemoPartner[];
  /** What the admin routes ask for (`Authorization: Bearer …`); `null` when they are open. */
  adminToken: string | null;
  /** Closes the server and every open socket, hung ones included. */
  close(): Promise<void>;
}

const PAGE_CACHE_BYTES = 64 * 1024 * 1024;
/** What a kept page costs beyond its bytes (its key, the map entry): many tiny pages stay bounded too. */
const PAGE_OVERHEAD_BYTES = 256;

interface Built {
  server: Server;
  partners: DemoPartner[];
}

const optionsModel = z.object({
  seed: z.string().optional(),
  tokenTtlSeconds: z.number().int().min(1).max(86_400).optional(),
  reportPageSize: z.number().int().min(1).max(10_000).optional(),
  outsizedDate: z.object({ ledgerId: z.string().min(1), date: z.iso.date() }).optional(),
});

function build(options: EmulatorOptions = {}): Built {
  // Programming errors surface at start, not as a feed that never moves.
  const { outsizedDate } = optionsModel.parse({
    seed: options.seed,
    tokenTtlSeconds: options.tokenTtlSeconds,
    reportPageSize: options.reportPageSize,
    outsizedDate: options.outsizedDate,
  });
  const seed = options.seed ?? 'demo';
  const world = new World(seed, outsizedDate ? { ledgerId: outsizedDate.ledgerId, day: dayNumber(outsizedDate.date) } : null);
  const context: EmulatorContext = {
    world,
    clock: Clock.from(options.now),
    tokens: new TokenAuthority(seed, world.catalog.partners, options.tokenTtlSeconds ?? 900),
    reportPageSize: options.reportPageSize ?? 1000,
    pages: new Lru<string, Buffer>(PAGE_CACHE_BYTES, (page) => page.length + PAGE_OVERHEAD_BYTES),
    faults: new Faults(seed),
    stats: new Stats(),
    adminToken: options.adminToken ?? null,
  };
  const pending: PendingWork = { timers: new Set() };
  const server = createServer({ keepAliveTimeout: 30_000 }, createRequestHandler(context, pending));
  server.on('close', () => {
    for (const timer of pending.timers) clearTimeout(timer);
    pending.timers.clear();
  });
  return { server, partners: world.catalog.partners };
}

export async function startEmulator(options: EmulatorOptions & { port?: number; host?: string } = {}): Promise<RunningEmulator> {
  const { server, partners } = build(options);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the emulator is not listening on a TCP port');
  const { port } = address;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    partners,
    adminToken: options.adminToken ?? null,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

import { z } from 'zod';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { createUpstream, type Upstream, type UpstreamHttpOptions } from '../../src/sources/index.ts';
import { reportRoutes } from '../../src/sources/report/client.ts';
import { salesRoutes } from '../../src/sources/sales/client.ts';
import { tokenRoute } from '../../src/sources/http/token.ts';
import { ledgerTraitsModel } from '../emulator/models.ts';

/** The emulator's clock in these suites: a Wednesday in May, every earlier date closed. */
export const emulatorNow = '2026-05-20T12:00:00Z';

/** The emulator's statistics keys: method and route template. */
export const calls = {
  token: tokenRoute,
  ledgers: `GET ${reportRoutes.ledgers}`,
  reportDate: `GET ${reportRoutes.date}`,
  reportFeed: `GET ${reportRoutes.feed}`,
  salesFeed: `GET ${salesRoutes.feed}`,
  salesDate: `GET ${salesRoutes.date}`,
  salesReference: `GET ${salesRoutes.reference}`,
  salesPspReference: `GET ${salesRoutes.pspReference}`,
} as const;

const statsModel = z.object({ total: z.number().int(), routes: z.record(z.string(), z.number().int()) });

export type LedgerTraits = z.infer<typeof ledgerTraitsModel>['ledgers'][number];

export interface EmulatorHarness {
  emulator: RunningEmulator;
  /** Upstream calls per route since the last reset. */
  stats(): Promise<z.infer<typeof statsModel>>;
  count(route: string): Promise<number>;
  resetStats(): Promise<void>;
  ledgers(): Promise<LedgerTraits[]>;
  /** Replaces the emulator's fault configuration (`{}` clears it). */
  faults(config: Record<string, unknown>): Promise<void>;
  /** A fresh upstream (own pool, own token) for a demo partner; closed with the harness. */
  upstream(partnerIndex?: number, options?: Partial<UpstreamHttpOptions>): Upstream;
  close(): Promise<void>;
}

export async function startHarness(options: Parameters<typeof startEmulator>[0] = {}): Promise<EmulatorHarness> {
  const emulator = await startEmulator({ port: 0, now: emulatorNow, ...options });
  const opened: Upstream[] = [];
  const admin = async (path: string, method = 'GET', body?: unknown): Promise<unknown> => {
    const response = await fetch(`${emulator.url}/__emulator/${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!response.ok) throw new Error(`emulator admin ${method} ${path} answered ${response.status}`);
    return response.status === 204 ? null : response.json();
  };
  const stats = async () => statsModel.parse(await admin('stats'));
  return {
    emulator,
    stats,
    count: async (route) => (await stats()).routes[route] ?? 0,
    resetStats: async () => {
      await admin('stats/reset', 'POST');
    },
    ledgers: async () => ledgerTraitsModel.parse(await admin('ledgers')).ledgers,
    faults: async (config) => {
      await admin('faults', 'PUT', config);
    },
    upstream: (partnerIndex = 0, upstreamOptions = {}) => {
      const partner = emulator.partners[partnerIndex];
      if (partner === undefined) throw new Error(`the emulator has no partner ${partnerIndex}`);
      const upstream = createUpstream({
        baseUrl: emulator.url,
        credentials: { clientId: partner.clientId, clientSecret: partner.clientSecret },
        systemName: 'sources-tests',
        systemVersion: '1',
        ...upstreamOptions,
      });
      opened.push(upstream);
      return upstream;
    },
    close: async () => {
      await Promise.all(opened.map((upstream) => upstream.close()));
      await emulator.close();
    },
  };
}

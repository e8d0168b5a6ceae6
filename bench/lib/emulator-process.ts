import { z } from 'zod';
import { ledgerTraitsModel, statsModel, type LedgerTraits } from '../../test/emulator/models.ts';
import { ServerProcess } from './processes.ts';

/** The emulator in its own process (`src/emulator/main.ts`), and its `/__emulator/` admin routes. */

export type { LedgerTraits };
export type UpstreamCalls = z.infer<typeof statsModel>;

const partnerModel = z.object({ name: z.string(), clientId: z.string(), clientSecret: z.string() });
export type Partner = z.infer<typeof partnerModel>;

export interface EmulatorProcess {
  url: string;
  /** Upstream calls per route template since the last reset. */
  stats(): Promise<UpstreamCalls>;
  resetStats(): Promise<void>;
  partners(): Promise<Partner[]>;
  ledgers(): Promise<LedgerTraits[]>;
  cpuSeconds(): number | null;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(options: { seed: string; now: string; cpu: number | null }): Promise<EmulatorProcess> {
  const server = await ServerProcess.start({
    label: 'emulator',
    entry: 'src/emulator/main.ts',
    env: { EMULATOR_PORT: '0', EMULATOR_SEED: options.seed, EMULATOR_NOW: options.now },
    cpu: options.cpu,
    listening: /emulator on (http:\/\/\S+)/,
  });
  const admin = async (method: 'GET' | 'POST', path: string): Promise<unknown> => {
    const response = await fetch(`${server.url}/__emulator/${path}`, { method });
    const text = await response.text();
    if (!response.ok) throw new Error(`emulator ${method} ${path}: ${response.status} ${text}`);
    return text === '' ? null : JSON.parse(text);
  };
  return {
    url: server.url,
    stats: async () => statsModel.parse(await admin('GET', 'stats')),
    resetStats: async () => {
      await admin('POST', 'stats/reset');
    },
    partners: async () => z.object({ partners: z.array(partnerModel) }).parse(await admin('GET', 'credentials')).partners,
    ledgers: async () => ledgerTraitsModel.parse(await admin('GET', 'ledgers')).ledgers,
    cpuSeconds: () => server.cpuSeconds(),
    stop: () => server.stop(),
  };
}

/**
 * Short names of the emulator's route templates, for every scenario's tables. A route not
 * listed shows as its template.
 */
const routeNames: Readonly<Record<string, string>> = {
  'POST /miami/v1/token': 'token',
  'GET /settlement/v1/ledgers': 'ledger list',
  'GET /sales/report/v1/ledgers/{ledgerId}/dates/{ledgerDate}': 'sales date',
  'GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}': 'report date',
  'GET /report/v2/ledgers/{ledgerId}/{topic}/feed': 'report feed',
  'GET /sales/report/v1/ledgers/{ledgerId}': 'sales feed',
};

/** Calls as `7 (token 1, ledger list 2, …)`, route templates by their short names. */
export function describeCalls(calls: UpstreamCalls): string {
  const parts = Object.entries(calls.routes)
    .filter(([, count]) => count > 0)
    .map(([route, count]) => `${routeNames[route] ?? route} ${count}`);
  return parts.length === 0 ? '0' : `${calls.total} (${parts.join(', ')})`;
}

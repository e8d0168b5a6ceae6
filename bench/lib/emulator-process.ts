import { EmulatorAdmin, type EmulatorStats, type LedgerTraits } from '../../src/emulator/admin-client.ts';
import { randomAdminToken, type DemoPartner } from '../../src/emulator/index.ts';
import { ServerProcess } from './processes.ts';

/** The emulator in its own process (`src/emulator/main.ts`), and its typed admin client. */

export type { LedgerTraits };
export type UpstreamCalls = EmulatorStats;
export type Partner = DemoPartner;

export interface EmulatorProcess {
  url: string;
  /** Statistics, credentials and ledger traits from the `/__emulator/` routes. */
  admin: EmulatorAdmin;
  cpuSeconds(): number | null;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(options: { seed: string; now: string; cpu: number | null }): Promise<EmulatorProcess> {
  const adminToken = randomAdminToken();
  const server = await ServerProcess.start({
    label: 'emulator',
    entry: 'src/emulator/main.ts',
    env: { EMULATOR_PORT: '0', EMULATOR_SEED: options.seed, EMULATOR_NOW: options.now, EMULATOR_ADMIN_TOKEN: adminToken },
    cpu: options.cpu,
    listening: /emulator on (http:\/\/\S+)/,
  });
  return {
    url: server.url,
    admin: new EmulatorAdmin(server.url, adminToken),
    cpuSeconds: () => server.cpuSeconds(),
    stop: () => server.stop(),
  };
}

/** The emulator and its demo partner (the first), whose keys the gateways under test hold. */
export async function startDemoEmulator(options: { seed: string; now: string; cpu: number | null }): Promise<{ emulator: EmulatorProcess; partner: Partner }> {
  const emulator = await startEmulatorProcess(options);
  const [partner] = await emulator.admin.partners();
  if (partner !== undefined) return { emulator, partner };
  await emulator.stop();
  throw new Error('the emulator has no demo partner');
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

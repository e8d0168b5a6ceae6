import type { Server } from 'node:http';
import { DirectClient } from './direct-client.ts';
import type { LedgerDayData } from './query.ts';

/**
 * What every comparator process of the ledger-day scenarios shares (`servers.ts` starts them):
 * the direct client on the upstream its environment names, the joined days it has read, and
 * serving on a free loopback port until SIGTERM.
 */

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/** The direct client on `DIRECT_UPSTREAM_URL` with the partner's credentials from the environment. */
export function clientFromEnvironment(): DirectClient {
  return new DirectClient(required('DIRECT_UPSTREAM_URL'), {
    clientId: required('DIRECT_CLIENT_ID'),
    clientSecret: required('DIRECT_CLIENT_SECRET'),
  });
}

/** Each day read once, on the first request that asks for it; every later one is served from memory. */
export function rememberedDays(client: DirectClient): (ledgerId: string, date: string) => Promise<LedgerDayData> {
  const days = new Map<string, Promise<LedgerDayData>>();
  return (ledgerId, date) => {
    const key = `${ledgerId}/${date}`;
    let day = days.get(key);
    if (day === undefined) days.set(key, (day = client.ledgerDay(ledgerId, date)));
    return day;
  };
}

/** Listens on a free loopback port, says so as `<name> on <url><path>`, and closes on SIGTERM. */
export function serve(server: Server, client: DirectClient, name: string, path = ''): void {
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    process.stdout.write(`${name} on http://127.0.0.1:${port}${path}\n`);
  });
  process.once('SIGTERM', () => {
    server.close(() => void client.close().then(() => process.exit(0)));
    server.closeIdleConnections();
  });
}

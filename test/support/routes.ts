import type { EmulatorAdmin, EmulatorStats } from '../../src/emulator/admin-client.ts';
import type { RouteTemplate } from '../../src/emulator/http/routes.ts';
import { tokenRoute } from '../../src/sources/http/token.ts';
import { reportRoutes } from '../../src/sources/report/client.ts';
import { salesRoutes } from '../../src/sources/sales/client.ts';

/**
 * The emulator's route templates by short name: the keys of its statistics and faults. Written
 * from the gateway's own routes and checked against the emulator's templates when compiled, so
 * the two cannot name a route differently.
 */
export const routes = {
  token: tokenRoute,
  ledgers: `GET ${reportRoutes.ledgers}`,
  reportDate: `GET ${reportRoutes.date}`,
  reportFeed: `GET ${reportRoutes.feed}`,
  salesFeed: `GET ${salesRoutes.feed}`,
  salesDate: `GET ${salesRoutes.date}`,
  salesByReference: `GET ${salesRoutes.reference}`,
  salesByPspReference: `GET ${salesRoutes.pspReference}`,
} as const satisfies Record<string, RouteTemplate>;

/** Upstream calls of one route in the statistics; 0 when it was not called. */
export function callsTo(stats: EmulatorStats, route: RouteTemplate): number {
  return stats.routes[route] ?? 0;
}

/** Upstream calls of one route since the emulator's statistics were last reset. */
export async function calls(admin: EmulatorAdmin, route: RouteTemplate): Promise<number> {
  return callsTo(await admin.stats(), route);
}

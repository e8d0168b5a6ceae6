import type { EmulatorStats } from '../../src/emulator/admin-client.ts';
import { routes } from '../support/routes.ts';

/** Upstream calls of every route but the token's: the token is counted apart where it matters. */
export function dataCalls(stats: EmulatorStats): number {
  return Object.entries(stats.routes)
    .filter(([route]) => route !== routes.token)
    .reduce((sum, [, count]) => sum + count, 0);
}

import type { Partner } from '../emulator-process.ts';
import { ServerProcess } from '../processes.ts';

/** The servers the gateway is compared with on the ledger-day query, each in its own process. */

type Comparator = 'direct' | 'lean' | 'yoga';

const entries: Record<Comparator, { entry: string; listening: RegExp }> = {
  /** The hand-written REST client behind `GET /day` (`direct-server.ts`). */
  direct: { entry: 'bench/lib/ledger-day/direct-server.ts', listening: /direct client on (http:\/\/\S+)/ },
  /** Plain graphql-js over the joined day in memory, behind `POST /graphql` (`lean-server.ts`). */
  lean: { entry: 'bench/lib/ledger-day/lean-server.ts', listening: /lean graphql-js on (http:\/\/\S+)/ },
  /** Yoga and graphql-jit over the joined day in memory, no plugins (`yoga-floor-server.ts`). */
  yoga: { entry: 'bench/lib/ledger-day/yoga-floor-server.ts', listening: /yoga floor on (http:\/\/\S+)/ },
};

export function startComparator(which: Comparator, upstreamUrl: string, partner: Pick<Partner, 'clientId' | 'clientSecret'>, cpu: number | null): Promise<ServerProcess> {
  return ServerProcess.start({
    label: which,
    ...entries[which],
    env: { DIRECT_UPSTREAM_URL: upstreamUrl, DIRECT_CLIENT_ID: partner.clientId, DIRECT_CLIENT_SECRET: partner.clientSecret },
    cpu,
  });
}

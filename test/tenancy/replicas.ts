import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.ts';
import { httpGraphClient, type GraphClient } from '../support/graphql.ts';
import { it } from '../support/harness.ts';
import { audience, issuer, serveJwks, signingKey, type JwksServer, type SigningKey } from './issuer.ts';
import { tenantsOf, worldOf, writeTenantsFile, type World } from './world.ts';

/**
 * Two gateway processes as an operator runs them (`src/main.ts`), in front of the file's
 * emulator over real HTTP, sharing one real `redis-server`, with the suite's tenants file and an
 * identity provider's JWKS served over HTTP. Started once per file and shared by its tests.
 */

/** The budgets every tenant without its own has (`RATE_LIMIT_*`). */
export const configuredBudgets = { requestsPerMinute: 6, upstreamCallsPerMinute: 4 };

export interface Replicas {
  world: World;
  tenantsFile: string;
  jwks: JwksServer;
  signer: SigningKey;
  processes: [GatewayProcess, GatewayProcess];
  clients: [GraphClient, GraphClient];
}

export const test = it.extend('replicas', { scope: 'file' }, async ({ emulator, redis }, { onCleanup }): Promise<Replicas> => {
  const world = worldOf(await emulator.ledgers(), emulator.partners);
  const folder = await mkdtemp(join(tmpdir(), 'rgw-tenants-'));
  const tenantsFile = join(folder, 'tenants.json');
  await writeTenantsFile(tenantsFile, tenantsOf(world));
  const signer = await signingKey('first');
  const jwks = await serveJwks([signer.publicJwk]);
  const env = {
    NODE_ENV: 'production',
    VIPPS_BASE_URL: emulator.url,
    VIPPS_CLIENT_ID: world.partner.clientId,
    VIPPS_CLIENT_SECRET: world.partner.clientSecret,
    VIPPS_KEY_SET_NORDISK_CLIENT_ID: world.nordiskPartner.clientId,
    VIPPS_KEY_SET_NORDISK_CLIENT_SECRET: world.nordiskPartner.clientSecret,
    TENANTS_FILE: tenantsFile,
    AUTH_JWKS_URL: jwks.url,
    AUTH_ISSUER: issuer,
    AUTH_AUDIENCE: audience,
    REDIS_URL: redis.url,
    // A busy test machine can hold a Redis reply past the default 50 ms, and a late reply is
    // counted in the process's own memory instead: the budgets would not be the shared ones.
    REDIS_COMMAND_TIMEOUT_MS: '2000',
    RATE_LIMIT_REQUESTS_PER_MINUTE: String(configuredBudgets.requestsPerMinute),
    RATE_LIMIT_UPSTREAM_CALLS_PER_MINUTE: String(configuredBudgets.upstreamCallsPerMinute),
    // The grant list of a "*" tenant is the one read an unknown or foreign ledger id costs it;
    // kept for the whole file, so the fuzz can count upstream calls to the last one.
    CACHE_LEDGERS_TTL_SECONDS: '3600',
    // Likewise the dates of weekly and monthly ledgers that are still open on the fuzz's dates:
    // the owners warm them once, and a slow machine must not see them expire mid-campaign.
    CACHE_OPEN_DATE_TTL_SECONDS: '3600',
    // The estimate charges every alias as if it read, foreign or not: the fuzz's documents of
    // 45 aliases are far above the default, and the read budget still bounds what runs.
    QUERY_MAX_COST: '100000',
  };
  const processes = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  onCleanup(async () => {
    await Promise.all(processes.map((process) => process.stop()));
    await jwks.close();
    await rm(folder, { recursive: true, force: true });
  });
  return { world, tenantsFile, jwks, signer, processes, clients: [httpGraphClient(processes[0].url), httpGraphClient(processes[1].url)] };
});

// `npm run portal`: the page built, the portal's server with its development identity provider,
// and the gateway (`npm start`'s compiled entry, with its embedded emulator) configured to trust
// that provider's tokens, the portal's documents only, and the portal's origin only.
//
//   PORTAL_PORT (default 5180) and PORT (the gateway's, default 4000)
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildPage, portalDir } from './build-page.ts';
import { createIdentityProvider } from './identity-provider.ts';
import { startPortalServer } from './portal-server.ts';

const repository = fileURLToPath(new URL('../../..', import.meta.url));
const host = 'localhost';
const portalPort = Number(process.env.PORTAL_PORT ?? 5180);
const gatewayPort = Number(process.env.PORT ?? 4000);
const gatewayUrl = `http://${host}:${gatewayPort}/graphql`;

// Vite's build sets NODE_ENV=production in this process; the gateway gets the environment as it was.
const environment = { ...process.env };
process.stderr.write('building the page\n');
const pageDir = await buildPage();
const identity = await createIdentityProvider({ issuer: `http://${host}:${portalPort}/`, audience: 'reporting-gateway' });
const portal = await startPortalServer({ pageDir, identity, gatewayUrl: () => gatewayUrl, host, port: portalPort });

const gateway = spawn(process.execPath, ['scripts/start.mjs'], {
  cwd: repository,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    LOG_LEVEL: 'warn',
    ...environment,
    HOST: host,
    PORT: String(gatewayPort),
    TENANTS_FILE: `${portalDir}tenants.yaml`,
    TRUSTED_DOCUMENTS: `${portalDir}src/gql/persisted-documents.json`,
    CORS_ORIGINS: portal.origin,
    AUTH_JWKS_URL: portal.jwksUrl,
    AUTH_ISSUER: identity.issuer,
    AUTH_AUDIENCE: identity.audience,
  },
});
createInterface({ input: gateway.stdout! }).on('line', (line) => {
  process.stdout.write(`${line}\n`);
  if (line.startsWith('GraphiQL:')) process.stdout.write(`\nPortal: ${portal.origin}/\n`);
});

const stop = (signal: NodeJS.Signals) => {
  gateway.kill(signal);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
gateway.once('exit', (code) => {
  void portal.close().then(() => process.exit(code ?? 0));
});

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPage, portalDir } from '../../examples/portal/server/build-page.ts';
import { createIdentityProvider, type IdentityProvider } from '../../examples/portal/server/identity-provider.ts';
import { startPortalServer, type PortalServer } from '../../examples/portal/server/portal-server.ts';
import type { DemoPartner } from '../../src/emulator/index.ts';
import { launchChromium, type Chromium } from '../support/chromium.ts';
import { composeGateway, type ComposedGateway } from '../support/gateway.ts';

/**
 * The partner portal as `npm run portal` runs it, around a given emulator: the page built by
 * Vite, the portal's server with its development identity provider, and a gateway on a real
 * port that trusts that provider's JWKS, the portal's documents only, and the portal's origin
 * only; with Debian's headless Chromium to look at it (each page of it has its own
 * sessionStorage, so each is a sign-in of its own).
 */

export const portalTenantsFile = join(portalDir, 'tenants.yaml');
export const portalManifest = join(portalDir, 'src/gql/persisted-documents.json');

export interface PortalWorld {
  portal: PortalServer;
  identity: IdentityProvider;
  gateway: ComposedGateway;
  /** The gateway's `/graphql` on its port. */
  gatewayUrl: string;
  chromium: Chromium;
  close(): Promise<void>;
}

export interface PortalWorldOptions {
  /** A real Redis for the gateway (the feed mirror, and live updates through its pub/sub). */
  redis?: { url: string };
}

export async function startPortalWorld(emulator: { url: string; partner: DemoPartner }, options: PortalWorldOptions = {}): Promise<PortalWorld> {
  const pageDir = mkdtempSync(join(tmpdir(), 'rgw-portal-'));
  const closing: (() => Promise<unknown>)[] = [async () => rmSync(pageDir, { recursive: true, force: true })];
  const close = async () => {
    for (const step of closing.reverse()) await step();
  };
  try {
    const [identity, chromium] = await Promise.all([
      createIdentityProvider({ issuer: 'http://portal.example.test/', audience: 'reporting-gateway' }),
      launchChromium(),
      buildPage(pageDir),
    ]);
    closing.push(() => chromium.close());
    let gatewayUrl = '';
    const portal = await startPortalServer({ pageDir, identity, gatewayUrl: () => gatewayUrl });
    closing.push(() => portal.close());
    const gateway = await composeGateway(emulator, {
      ...(options.redis === undefined ? {} : { redis: options.redis }),
      env: {
        TENANTS_FILE: portalTenantsFile,
        TRUSTED_DOCUMENTS: portalManifest,
        CORS_ORIGINS: portal.origin,
        AUTH_JWKS_URL: portal.jwksUrl,
        AUTH_ISSUER: identity.issuer,
        AUTH_AUDIENCE: identity.audience,
      },
    });
    closing.push(() => gateway.close());
    const server: Server = createServer(gateway.yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closing.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))));
    gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    return { portal, identity, gateway, gatewayUrl, chromium, close };
  } catch (error) {
    await close();
    throw error;
  }
}

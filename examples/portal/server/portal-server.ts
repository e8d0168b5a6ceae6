import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { IdentityProvider } from './identity-provider.ts';

/**
 * The portal's own origin: the built page, where the gateway is (`/config.json`), and the
 * development identity provider (`/sign-in`, `/.well-known/jwks.json`). node:http is enough for
 * a handful of files and three routes.
 */

export interface PortalServerOptions {
  /** The folder Vite built the page into. */
  pageDir: string;
  identity: IdentityProvider;
  /** The gateway's `/graphql` URL; a function since the gateway may start after this server. */
  gatewayUrl: () => string;
  host?: string;
  port?: number;
}

export interface PortalServer {
  origin: string;
  jwksUrl: string;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function bodyOf(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > 10_000) return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function startPortalServer(options: PortalServerOptions): Promise<PortalServer> {
  const { identity, pageDir } = options;
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://portal').pathname;
    if (path === '/config.json') return json(response, 200, { gatewayUrl: options.gatewayUrl(), merchants: identity.merchants });
    if (path === '/.well-known/jwks.json') return json(response, 200, identity.jwks());
    if (path === '/sign-in' && request.method === 'POST') {
      const body = await bodyOf(request);
      const merchant = typeof body === 'object' && body !== null && 'merchant' in body && typeof body.merchant === 'string' ? body.merchant : '';
      const session = await identity.signIn(merchant);
      return session === null ? json(response, 400, { error: 'unknown merchant' }) : json(response, 200, session);
    }
    const file = normalize(join(pageDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(normalize(pageDir))) return json(response, 404, { error: 'not found' });
    try {
      const content = await readFile(file);
      response.writeHead(200, {
        'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
        // The page may talk to its own origin and the gateway, and to nothing else.
        'content-security-policy': `default-src 'self'; connect-src 'self' ${new URL(options.gatewayUrl()).origin}`,
        'cache-control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      response.end(content);
    } catch {
      json(response, 404, { error: 'not found' });
    }
  };
  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => json(response, 500, { error: 'portal server failed' }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    origin,
    jwksUrl: `${origin}/.well-known/jwks.json`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import { createServer } from 'node:http';
import { DirectClient } from './direct-client.ts';

/**
 * The hand-written client behind a minimal HTTP endpoint, `GET /day?ledgerId=…&date=…`, run in
 * its own process like the gateway, so both are loaded the same way and compared fairly.
 */

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const client = new DirectClient(required('DIRECT_UPSTREAM_URL'), {
  clientId: required('DIRECT_CLIENT_ID'),
  clientSecret: required('DIRECT_CLIENT_SECRET'),
});

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://direct');
  const ledgerId = url.searchParams.get('ledgerId');
  const date = url.searchParams.get('date');
  if (url.pathname !== '/day' || ledgerId === null || date === null) {
    response.writeHead(404).end();
    return;
  }
  client.ledgerDay(ledgerId, date).then(
    (data) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      response.writeHead(502).end();
    },
  );
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`direct client on http://127.0.0.1:${port}\n`);
});

process.once('SIGTERM', () => {
  server.close(() => void client.close().then(() => process.exit(0)));
  server.closeIdleConnections();
});

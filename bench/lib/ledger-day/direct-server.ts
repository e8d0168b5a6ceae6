import { createServer } from 'node:http';
import { clientFromEnvironment, serve } from './comparator-process.ts';

/**
 * The hand-written client behind a minimal HTTP endpoint, `GET /day?ledgerId=…&date=…`, run in
 * its own process like the gateway, so both are loaded the same way and compared fairly.
 */

const client = clientFromEnvironment();

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

serve(server, client, 'direct client');

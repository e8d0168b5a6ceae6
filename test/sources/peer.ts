import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A small real HTTP server standing in for a misbehaving upstream (garbage bodies, odd statuses,
 * hangs) where the emulator's answers are not the point of the test.
 */

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type PeerHandler = (request: RecordedRequest, response: ServerResponse) => void;

export interface Peer {
  url: string;
  requests: RecordedRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function startPeer(handler: PeerHandler): Promise<Peer> {
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      handler(request, response);
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('peer is not listening on TCP');
  const { port } = address;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** A token endpoint that hands out `token-1`, `token-2`, … so tests can tell refreshes apart. */
export function tokenIssuer(expiresIn = 900): (response: ServerResponse) => void {
  let issued = 0;
  return (response) => {
    issued += 1;
    json(response, 200, { access_token: `token-${issued}`, token_type: 'Bearer', expires_in: expiresIn });
  };
}

import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A real HTTP proxy in front of the emulator that can replace the answer of chosen requests
 * (any status, a hang, a dropped connection, a stalled or rewritten body) and counts what it
 * sees: requests per path, open client sockets, exchanges still open. It stands where a load
 * balancer or a sick upstream would, for the outcomes the emulator's faults do not make.
 */

export type ProxyAction =
  | { kind: 'answer'; status: number; body?: string; headers?: Record<string, string> }
  /** Never answers; the socket stays open until the client gives up. */
  | { kind: 'hang' }
  /** Closes the connection without an answer. */
  | { kind: 'reset' }
  /** Sends the headers and the start of a body, then nothing more. */
  | { kind: 'stall-body' }
  /** Forwards, then rewrites a 200 JSON body. */
  | { kind: 'rewrite'; rewrite: (body: unknown) => unknown };

/** What to do with a request; `null` forwards it untouched. */
export type ProxyScript = (method: string, path: string) => ProxyAction | null;

export interface FaultProxy {
  url: string;
  script: ProxyScript;
  /** Requests seen per path (query string left out). */
  seen(path?: RegExp): number;
  resetSeen(): void;
  openSockets(): number;
  /** Requests received whose answer has not been sent nor their socket closed. */
  openExchanges(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  let openExchanges = 0;

  const proxy: FaultProxy = {
    url: '',
    script: () => null,
    seen: (path) => (path === undefined ? seen.length : seen.filter((item) => path.test(item)).length),
    resetSeen: () => {
      seen.length = 0;
    },
    openSockets: () => sockets.size,
    openExchanges: () => openExchanges,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const relay = (incoming: IncomingMessage, outgoing: ServerResponse, rewrite?: (body: unknown) => unknown) => {
    const upstream = forward(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        if (rewrite === undefined || answer.statusCode !== 200) {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = JSON.stringify(rewrite(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          outgoing.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          outgoing.end(body);
        });
      },
    );
    upstream.on('error', () => outgoing.destroy());
    // A client that hangs up takes its upstream exchange with it, as a real proxy does.
    outgoing.on('close', () => upstream.destroy());
    incoming.pipe(upstream);
  };

  const server = createServer((incoming, outgoing) => {
    const path = (incoming.url ?? '/').split('?')[0] ?? '/';
    seen.push(path);
    openExchanges += 1;
    let counted = true;
    const settle = () => {
      if (counted) openExchanges -= 1;
      counted = false;
    };
    outgoing.on('finish', settle);
    outgoing.on('close', settle);
    const action = proxy.script(incoming.method ?? 'GET', path);
    if (action === null) return relay(incoming, outgoing);
    switch (action.kind) {
      case 'answer':
        outgoing.writeHead(action.status, { 'content-type': 'application/json', ...action.headers });
        outgoing.end(action.body ?? '{}');
        return;
      case 'hang':
        return;
      case 'reset':
        incoming.socket.destroy();
        return;
      case 'stall-body':
        outgoing.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        outgoing.write('{"items": [');
        return;
      case 'rewrite':
        return relay(incoming, outgoing, action.rewrite);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy is not listening on TCP');
  proxy.url = `http://127.0.0.1:${address.port}`;
  return proxy;
}

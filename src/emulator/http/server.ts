import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiRequest, EmulatorContext } from '../api/context.ts';
import { ledgersRoute } from '../api/ledgers-route.ts';
import { reportDateRoute, reportFeedRoute } from '../api/report-routes.ts';
import { salesOpenApiJson } from '../api/sales-openapi.ts';
import { salesByPspReferenceRoute, salesByReferenceRoute, salesDateRoute, salesFeedRoute } from '../api/sales-routes.ts';
import { tokenRoute } from '../auth/token-route.ts';
import { adminAllowed } from './admin-guard.ts';
import { adminRoute } from './admin.ts';
import { breakSchema, malformBody, type FaultDecision } from './faults.ts';
import { json, problem, unauthorized, type Reply } from './reply.ts';
import { matchRoute, type RouteTemplate } from './routes.ts';

/**
 * The request path: admin routes apart; upstream routes are counted, meet their faults, are
 * authenticated and answered. Everything after the body is read runs synchronously.
 */

/** Where the emulator serves the OpenAPI document of its Sales API (`api/sales-openapi.ts`). */
export const salesOpenApiPath = '/sales/openapi.json';

type ApiHandler = (context: EmulatorContext, request: ApiRequest) => Reply;

const apiHandlers: Record<Exclude<RouteTemplate, 'POST /miami/v1/token'>, ApiHandler> = {
  'GET /settlement/v1/ledgers': ledgersRoute,
  'GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}': reportDateRoute,
  'GET /report/v2/ledgers/{ledgerId}/{topic}/feed': reportFeedRoute,
  'GET /sales/report/v1/ledgers/{ledgerId}': salesFeedRoute,
  'GET /sales/report/v1/ledgers/{ledgerId}/dates/{ledgerDate}': salesDateRoute,
  'GET /sales/report/v1/ledgers/{ledgerId}/references/{reference}': salesByReferenceRoute,
  'GET /sales/report/v1/ledgers/{ledgerId}/psp-references/{pspReference}': salesByPspReferenceRoute,
};

export interface PendingWork {
  /** Timers of delayed answers, cleared when the server closes. */
  timers: Set<NodeJS.Timeout>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Writes a reply. Its `Date` header is the emulated clock's, as a real server's is its own
 * clock: a client learns upstream's idea of now from it (which ledger dates have begun).
 */
function send(res: ServerResponse, reply: Reply, now: number): void {
  if (res.destroyed || res.headersSent) return;
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  res.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': body.length, Date: new Date(now).toUTCString(), ...reply.headers });
  res.end(body);
}

function apiReply(context: EmulatorContext, template: RouteTemplate, req: IncomingMessage, url: URL, params: Record<string, string>, body: string): Reply {
  const now = Date.now();
  if (template === 'POST /miami/v1/token') return tokenRoute(context.tokens, req, body, now);
  const match = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? '');
  const partner = match?.[1] ? context.tokens.verify(match[1], now) : null;
  if (!partner) return unauthorized();
  const request: ApiRequest = { template, path: url.pathname, params, query: url.searchParams, partner };
  return apiHandlers[template](context, request);
}

/** The answer of a call that a fault turns away before it reaches the API. */
function refusal(decision: FaultDecision): Reply {
  if (decision.status === 429) {
    return json(429, { statusCode: 429, message: `Rate limit is exceeded. Try again in ${decision.retryAfterSeconds} seconds.` }, { 'Retry-After': String(decision.retryAfterSeconds) });
  }
  if (decision.status === 500) return json(500, { errorCode: 10001, errorMessage: 'Unknown or undocumented error, retry', contextId: '00000000-0000-4000-8000-000000000500' });
  return { status: decision.status, body: decision.status === 502 ? 'Bad Gateway' : 'Service Unavailable', contentType: 'text/plain' };
}

/** A successful answer spoiled on its way out. */
function spoil(reply: Reply, decision: FaultDecision): Reply {
  if (reply.status !== 200) return reply;
  if (decision.malformed) return { ...reply, body: malformBody(reply.body.toString()) };
  if (decision.schemaBreak) return { ...reply, body: breakSchema(reply.body.toString()) };
  return reply;
}

export function createRequestHandler(context: EmulatorContext, pending: PendingWork) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const method = req.method ?? 'GET';
      const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
      if (url.pathname.startsWith('/__emulator/')) {
        if (!adminAllowed(context.adminToken, req.headers.authorization)) {
          return send(
            res,
            { ...problem(401, 'The admin routes need the admin token printed at start: Authorization: Bearer <token>'), headers: { 'WWW-Authenticate': 'Bearer' } },
            context.clock.now(),
          );
        }
        send(res, adminRoute(context, method, url.pathname, body), context.clock.now());
        return;
      }
      // The Sales API's description is public, like a published spec: no token, not counted as an upstream call.
      if (method === 'GET' && url.pathname === salesOpenApiPath) {
        return send(res, { status: 200, body: salesOpenApiJson, contentType: 'application/json; charset=utf-8' }, context.clock.now());
      }
      const match = matchRoute(method, url.pathname);
      if (!match) return send(res, problem(404, 'No such route'), context.clock.now());
      if (match.wrongMethod) return send(res, problem(405, `Use ${match.template.split(' ')[0]}`), context.clock.now());
      context.stats.count(match.template);
      const decision = context.faults.decide(match.template);
      if (decision.hang) return; // Never answered; close() destroys the socket.
      const respond = () =>
        send(res, decision.status !== 0 ? refusal(decision) : spoil(apiReply(context, match.template, req, url, match.params, body), decision), context.clock.now());
      if (decision.latencyMs <= 0) return respond();
      const timer = setTimeout(() => {
        pending.timers.delete(timer);
        respond();
      }, decision.latencyMs);
      pending.timers.add(timer);
    } catch (error) {
      send(res, problem(500, error instanceof Error ? error.message : 'Internal error'), context.clock.now());
    }
  };
}

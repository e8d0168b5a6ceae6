import { Pool, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { silentLogger, type Logger } from '../../logger.ts';
import type { UpstreamObserver } from '../observer.ts';
import { errorForBody, errorForStatus, errorForTransport, isUpstreamError, type UpstreamError } from './errors.ts';
import { fillRoute, queryString, type UpstreamQuery } from './paths.ts';
import { attemptEnd, currentDeadline, currentRequest, Deadline, DeadlineExceededError, Resilience, type CircuitState, type ResilienceSettings } from './resilience/index.ts';
import { ServerClock } from './server-clock.ts';
import { basicAuthorization, tokenPath, tokenResponseModel, tokenRoute, TokenProvider, type AccessToken, type TokenSource } from './token.ts';

/**
 * The one request path to Vipps MobilePay. It owns the origin, the bearer token, the standard
 * headers, timeouts, retries and the mapping of every failure to an `UpstreamError`; clients
 * above it only name a route, a path and the zod model of the answer.
 *
 * Every call runs under a deadline: the GraphQL request's (see `resilience/deadline.ts`), or,
 * for calls made outside any request, one of `callMs` of its own.
 */

export interface UpstreamTimeouts {
  /** TCP (and TLS) connect. */
  connectMs: number;
  /** Waiting for the status and headers once the request is sent; `requestMs` when not set. */
  headersMs: number;
  /** Longest silence while reading the body; `requestMs` when not set. */
  bodyMs: number;
  /** One whole attempt: waiting for headers and reading the body. */
  requestMs: number;
  /** A call made outside any request deadline (background work), retries and waits included. */
  callMs: number;
}

export interface UpstreamHttpOptions {
  baseUrl: string;
  credentials: { clientId: string; clientSecret: string };
  systemName: string;
  systemVersion: string;
  /** Defaults to a keep-alive `Pool` for the base URL's origin, owned and closed by this instance. */
  dispatcher?: Dispatcher;
  clock?: () => number;
  logger?: Logger;
  timeouts?: Partial<UpstreamTimeouts>;
  /** Sockets of the default pool. */
  connections?: number;
  /**
   * Puts something between the token provider and the token endpoint, e.g. a store shared by
   * replicas: `(endpoint) => sharedTokenSource(store, fingerprint, endpoint)`.
   */
  tokenSource?: (endpoint: TokenSource) => TokenSource;
  /**
   * Retries (with backoff, under a budget), circuit breakers per route family and a concurrency
   * limit; `defaultResilience` is what the gateway runs with. Left out, every call is made once,
   * as it was asked, which suits tests of what upstream answers.
   */
  resilience?: ResilienceSettings | null;
  /** Told of every attempt, refusal and token fetch (metrics, traces); nobody when left out. */
  observer?: UpstreamObserver | null;
}

/** The settings the gateway runs with: every default of `resilience/`. */
export const defaultResilience: ResilienceSettings = {};

interface UpstreamRequest {
  method: 'GET' | 'POST';
  /** Method and route template, for logs, errors and the emulator's statistics alike. */
  route: string;
  /** Path below the base URL, with its query string. */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

/** What logs and errors say about a request. */
type RequestLabel = Pick<UpstreamRequest, 'route' | 'target'>;

interface UpstreamResponse {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

const defaultTimeouts = { connectMs: 5_000, requestMs: 10_000, callMs: 30_000 };
/** Far above any real page (1000 Sales entries with lines is about 2 MB), far below trouble. */
const maxResponseBytes = 64 * 1024 * 1024;
const loggedBodyChars = 4_000;
/** Upstream failures of one request logged as warnings; later ones are debug lines. */
const loudFailuresPerRequest = 3;

/**
 * A token endpoint's body may hold a token, and an answer asked with `includeGDPRSensitiveData`
 * holds payers' names and phone numbers: neither is ever logged.
 */
function bodyMayBeLogged(request: RequestLabel): boolean {
  return request.route !== tokenRoute && !/[?&]includeGDPRSensitiveData=true(&|$)/.test(request.target);
}

export class UpstreamHttp {
  readonly tokens: TokenProvider;
  /** Upstream's clock, as its answers' `Date` headers tell it. */
  readonly serverClock: ServerClock;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly clock: () => number;
  private readonly logger: Logger;
  private readonly timeouts: UpstreamTimeouts;
  private readonly systemHeaders: Record<string, string>;
  private readonly resilience: Resilience | null;
  private readonly observer: UpstreamObserver | null;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: UpstreamHttpOptions) {
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.clock = options.clock ?? Date.now;
    this.serverClock = new ServerClock(this.clock);
    this.logger = options.logger ?? silentLogger;
    const requestMs = options.timeouts?.requestMs ?? defaultTimeouts.requestMs;
    this.timeouts = { ...defaultTimeouts, headersMs: requestMs, bodyMs: requestMs, ...options.timeouts };
    const connections = options.connections ?? 16;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Pool(this.origin, {
        connections,
        pipelining: 1,
        connectTimeout: this.timeouts.connectMs,
        headersTimeout: this.timeouts.headersMs,
        bodyTimeout: this.timeouts.bodyMs,
        maxResponseSize: maxResponseBytes,
      });
    this.observer = options.observer ?? null;
    this.resilience =
      options.resilience == null
        ? null
        : new Resilience(options.resilience, { clock: this.clock, logger: this.logger, defaultConcurrency: connections, observer: this.observer });
    this.systemHeaders = {
      accept: 'application/json',
      'vipps-system-name': options.systemName,
      'vipps-system-version': options.systemVersion,
    };
    const endpoint: TokenSource = { fetch: () => this.requestToken() };
    this.tokens = new TokenProvider(options.tokenSource?.(endpoint) ?? endpoint, { clock: this.clock });
  }

  /**
   * GET a route template (`/report/v2/ledgers/{ledgerId}/…`) with its parameters filled in, and
   * parse the body with `model`; a 401 is retried once with a fresh token.
   */
  get<T>(route: string, params: Record<string, string>, model: z.ZodType<T>, query?: UpstreamQuery): Promise<T> {
    const request = { method: 'GET' as const, route: `GET ${route}`, target: fillRoute(route, params) + queryString(query) };
    return this.underDeadline(currentDeadline(), async (deadline) => {
      const token = await this.token(request, deadline);
      let response = await this.exchange({ ...request, headers: this.authorized(token) }, deadline);
      if (response.status === 401) {
        // Tokens can be revoked or rotated before their expiry: one fresh token, one more try.
        this.logger.info('upstream refused the token, fetching a new one', { requestId: currentRequest()?.requestId, route: request.route });
        this.tokens.invalidate(token);
        response = await this.exchange({ ...request, headers: this.authorized(await this.token(request, deadline)) }, deadline);
      }
      return this.decode(request, response, model);
    });
  }

  /** Whether the circuit of a route (method and template) lets calls through (`closed`) or fails fast. */
  circuit(route: string): CircuitState {
    return this.resilience?.circuit(route) ?? 'closed';
  }

  /** Closes the pool this instance created (a dispatcher passed in belongs to the caller). Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.ownsDispatcher ? this.dispatcher.close() : Promise.resolve();
    return this.closing;
  }

  /** Runs `work` under the request's deadline, or under one of its own outside any request. */
  private async underDeadline<T>(deadline: Deadline | undefined, work: (deadline: Deadline) => Promise<T>): Promise<T> {
    if (deadline !== undefined) return work(deadline);
    const own = Deadline.after(this.timeouts.callMs, { clock: this.clock });
    try {
      return await work(own);
    } finally {
      own.dispose();
    }
  }

  /** The token is shared by every request, so it is fetched under its own deadline; each caller waits only within its own. */
  private async token(request: RequestLabel, deadline: Deadline): Promise<string> {
    try {
      return await deadline.race(this.tokens.get());
    } catch (error) {
      throw error instanceof DeadlineExceededError ? errorForTransport(request.route, error) : error;
    }
  }

  private requestToken(): Promise<AccessToken> {
    return this.underDeadline(undefined, (deadline) => this.fetchToken(deadline));
  }

  private async fetchToken(deadline: Deadline): Promise<AccessToken> {
    const requestedAt = this.clock();
    const request: UpstreamRequest = {
      method: 'POST',
      route: tokenRoute,
      target: tokenPath,
      headers: {
        ...this.systemHeaders,
        authorization: basicAuthorization(this.options.credentials.clientId, this.options.credentials.clientSecret),
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      },
      body: 'grant_type=client_credentials',
    };
    let token: z.infer<typeof tokenResponseModel>;
    try {
      token = this.decode(request, await this.exchange(request, deadline), tokenResponseModel);
    } catch (error) {
      this.observer?.tokenFetched(false);
      throw error;
    }
    this.observer?.tokenFetched(true);
    // Counted from before the request, so network time only ever shortens our idea of the lifetime.
    return { value: token.access_token, expiresAtMs: requestedAt + token.expires_in * 1000 };
  }

  private authorized(token: string): Record<string, string> {
    return { ...this.systemHeaders, authorization: `Bearer ${token}` };
  }

  /** One exchange with as many attempts as resilience allows (only the GETs and the token call are repeated). */
  private exchange(request: UpstreamRequest, deadline: Deadline): Promise<UpstreamResponse> {
    if (this.resilience === null) return this.sendWatched(request, deadline);
    const idempotent = request.method === 'GET' || request.route === tokenRoute;
    return this.resilience.call({ route: request.route, idempotent }, deadline, () => this.send(request, deadline));
  }

  /** One attempt without the resilience layer, told to the observer as that layer tells its attempts. */
  private async sendWatched(request: UpstreamRequest, deadline: Deadline): Promise<UpstreamResponse> {
    const watch = this.observer?.attemptStarted(request.route, 1);
    if (watch === undefined) return this.send(request, deadline);
    const startedAt = this.clock();
    try {
      const response = await this.send(request, deadline);
      watch.end(attemptEnd(response, false, this.clock() - startedAt));
      return response;
    } catch (error) {
      if (isUpstreamError(error)) watch.end(attemptEnd(error, false, this.clock() - startedAt));
      throw error;
    }
  }

  /**
   * One attempt, body fully read so the socket goes back to the pool. Transport failures are
   * mapped here; statuses are left to `decode` so the retries and the 401 retry can look at them.
   */
  private async send(request: UpstreamRequest, deadline: Deadline): Promise<UpstreamResponse> {
    const startedAt = this.clock();
    const attempt = deadline.attempt(this.timeouts.requestMs);
    const scope = currentRequest();
    if (scope !== undefined) scope.upstreamCalls += 1;
    try {
      let response: Dispatcher.ResponseData;
      try {
        response = await this.dispatcher.request({
          origin: this.origin,
          path: this.basePath + request.target,
          method: request.method,
          headers: request.headers,
          body: request.body ?? null,
          headersTimeout: this.timeouts.headersMs,
          bodyTimeout: this.timeouts.bodyMs,
          signal: attempt.signal,
        });
      } catch (error) {
        throw this.failed(request, errorForTransport(request.route, error));
      }
      try {
        const body = await response.body.text();
        this.serverClock.observe(response.headers['date'], this.clock());
        const retryAfter = response.headers['retry-after'];
        this.logger.debug('upstream call', { requestId: scope?.requestId, route: request.route, path: request.target, status: response.statusCode, ms: this.clock() - startedAt });
        return { status: response.statusCode, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, body };
      } catch (error) {
        response.body.destroy();
        throw this.failed(request, errorForTransport(request.route, error), response.statusCode);
      }
    } finally {
      attempt.done();
    }
  }

  private decode<T>(request: RequestLabel, response: UpstreamResponse, model: z.ZodType<T>): T {
    const { status, body } = response;
    if (status < 200 || status >= 300) {
      throw this.failed(request, errorForStatus(request.route, response, this.clock()), status, body);
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      // JSON.parse quotes the start of what it could not read: a token or personal data, for some bodies.
      const cause = bodyMayBeLogged(request) ? error : undefined;
      throw this.failed(request, errorForBody(request.route, status, 'not JSON', cause), status, body);
    }
    const parsed = model.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`);
      throw this.failed(request, errorForBody(request.route, status, problems.join('; '), parsed.error), status, body);
    }
    return parsed.data;
  }

  /**
   * Logs a failure with the raw upstream body (never put in the error itself) and returns it.
   * A token endpoint's body is never logged: it may hold a token. The first few failures of a
   * request are warnings; the rest are debug lines, so a request that fails a thousand calls
   * cannot write a thousand warnings.
   */
  private failed(request: RequestLabel, error: UpstreamError, status?: number, body?: string): UpstreamError {
    const scope = currentRequest();
    const loud = scope === undefined || (scope.failuresLogged += 1) <= loudFailuresPerRequest;
    const log = loud ? this.logger.warn : this.logger.debug;
    log('upstream request failed', {
      requestId: scope?.requestId,
      route: request.route,
      path: request.target,
      code: error.code,
      status: status ?? null,
      message: error.message,
      cause: error.cause instanceof Error ? error.cause.message : undefined,
      body: body === undefined || !bodyMayBeLogged(request) ? undefined : body.slice(0, loggedBodyChars),
      ...(scope !== undefined && scope.failuresLogged === loudFailuresPerRequest ? { moreOfThisRequestAtDebug: true } : {}),
    });
    return error;
  }
}

import { Pool, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { silentLogger, type Logger } from '../logger.ts';
import { errorForBody, errorForStatus, errorForTransport, type UpstreamError } from './errors.ts';
import { queryString, type UpstreamQuery } from './paths.ts';
import { basicAuthorization, tokenPath, tokenResponseModel, tokenRoute, TokenProvider, type AccessToken, type TokenSource } from './token.ts';

/**
 * The one request path to Vipps MobilePay. It owns the origin, the bearer token, the standard
 * headers, timeouts and the mapping of every failure to an `UpstreamError`; clients above it
 * only name a route, a path and the zod model of the answer.
 */

export interface UpstreamTimeouts {
  /** TCP (and TLS) connect. */
  connectMs: number;
  /** The whole exchange: waiting for headers and reading the body. */
  requestMs: number;
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
}

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

const defaultTimeouts: UpstreamTimeouts = { connectMs: 5_000, requestMs: 10_000 };
/** Far above any real page (1000 Sales entries with lines is about 2 MB), far below trouble. */
const maxResponseBytes = 64 * 1024 * 1024;
const loggedBodyChars = 4_000;

export class UpstreamHttp {
  readonly tokens: TokenProvider;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly clock: () => number;
  private readonly logger: Logger;
  private readonly timeouts: UpstreamTimeouts;
  private readonly systemHeaders: Record<string, string>;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: UpstreamHttpOptions) {
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.clock = options.clock ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.timeouts = { ...defaultTimeouts, ...options.timeouts };
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Pool(this.origin, {
        connections: options.connections ?? 16,
        pipelining: 1,
        connectTimeout: this.timeouts.connectMs,
        headersTimeout: this.timeouts.requestMs,
        bodyTimeout: this.timeouts.requestMs,
        maxResponseSize: maxResponseBytes,
      });
    this.systemHeaders = {
      accept: 'application/json',
      'vipps-system-name': options.systemName,
      'vipps-system-version': options.systemVersion,
    };
    const endpoint: TokenSource = { fetch: () => this.requestToken() };
    this.tokens = new TokenProvider(options.tokenSource?.(endpoint) ?? endpoint, { clock: this.clock });
  }

  /** GET `path` and parse its body with `model`; a 401 is retried once with a fresh token. */
  async get<T>(route: string, path: string, model: z.ZodType<T>, query?: UpstreamQuery): Promise<T> {
    const request = { method: 'GET' as const, route: `GET ${route}`, target: path + queryString(query) };
    const token = await this.tokens.get();
    let response = await this.send({ ...request, headers: this.authorized(token) });
    if (response.status === 401) {
      // Tokens can be revoked or rotated before their expiry: one fresh token, one more try.
      this.logger.info('upstream refused the token, fetching a new one', { route: request.route });
      this.tokens.invalidate(token);
      response = await this.send({ ...request, headers: this.authorized(await this.tokens.get()) });
    }
    return this.decode(request, response, model);
  }

  /** Closes the pool this instance created (a dispatcher passed in belongs to the caller). Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.ownsDispatcher ? this.dispatcher.close() : Promise.resolve();
    return this.closing;
  }

  private async requestToken(): Promise<AccessToken> {
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
    const token = this.decode(request, await this.send(request), tokenResponseModel);
    // Counted from before the request, so network time only ever shortens our idea of the lifetime.
    return { value: token.access_token, expiresAtMs: requestedAt + token.expires_in * 1000 };
  }

  private authorized(token: string): Record<string, string> {
    return { ...this.systemHeaders, authorization: `Bearer ${token}` };
  }

  /**
   * One exchange, body fully read so the socket goes back to the pool. Transport failures are
   * mapped here; statuses are left to `decode` so the 401 retry can look at them. A retry policy
   * for 429/5xx belongs around this function.
   */
  private async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const startedAt = this.clock();
    let response: Dispatcher.ResponseData;
    try {
      response = await this.dispatcher.request({
        origin: this.origin,
        path: this.basePath + request.target,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        headersTimeout: this.timeouts.requestMs,
        bodyTimeout: this.timeouts.requestMs,
        signal: AbortSignal.timeout(this.timeouts.requestMs),
      });
    } catch (error) {
      throw this.failed(request, errorForTransport(request.route, error));
    }
    try {
      const body = await response.body.text();
      const retryAfter = response.headers['retry-after'];
      this.logger.debug('upstream call', { route: request.route, path: request.target, status: response.statusCode, ms: this.clock() - startedAt });
      return { status: response.statusCode, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, body };
    } catch (error) {
      response.body.destroy();
      throw this.failed(request, errorForTransport(request.route, error), response.statusCode);
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
      throw this.failed(request, errorForBody(request.route, status, 'not JSON', error), status, body);
    }
    const parsed = model.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`);
      throw this.failed(request, errorForBody(request.route, status, problems.join('; '), parsed.error), status, body);
    }
    return parsed.data;
  }

  /** Logs a failure with the raw upstream body (never put in the error itself) and returns it. */
  private failed(request: RequestLabel, error: UpstreamError, status?: number, body?: string): UpstreamError {
    this.logger.warn('upstream request failed', {
      route: request.route,
      path: request.target,
      code: error.code,
      status: status ?? null,
      message: error.message,
      cause: error.cause instanceof Error ? error.cause.message : undefined,
      body: body === undefined ? undefined : body.slice(0, loggedBodyChars),
    });
    return error;
  }
}

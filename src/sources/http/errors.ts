import { z } from 'zod';
import { DeadlineExceededError } from './resilience/deadline.ts';

/**
 * The closed family of upstream failures. Everything the HTTP layer can meet (a status, a
 * transport error, a body it cannot read) becomes one of these codes here and nowhere else, so
 * the schema can turn a code into a GraphQL error without knowing about HTTP. Messages never
 * carry the upstream body: that goes to the log.
 */

export const upstreamErrorCodes = [
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_BAD_RESPONSE',
  'UPSTREAM_UNAUTHORIZED',
  'NOT_FOUND',
  'BAD_REQUEST',
] as const;
export type UpstreamErrorCode = (typeof upstreamErrorCodes)[number];

export interface UpstreamErrorDetails {
  /** The route template with its method, e.g. `GET /report/v2/ledgers/{ledgerId}/{topic}/feed`. */
  route: string;
  status?: number | null;
  retryAfterSeconds?: number | null;
  cause?: unknown;
}

export class UpstreamError extends Error {
  readonly code: UpstreamErrorCode;
  readonly status: number | null;
  readonly route: string;
  readonly retryAfterSeconds: number | null;

  constructor(code: UpstreamErrorCode, message: string, details: UpstreamErrorDetails) {
    super(message, { cause: details.cause });
    this.name = 'UpstreamError';
    this.code = code;
    this.status = details.status ?? null;
    this.route = details.route;
    this.retryAfterSeconds = details.retryAfterSeconds ?? null;
  }
}

export function isUpstreamError(value: unknown): value is UpstreamError {
  return value instanceof UpstreamError;
}

/** The platform's problem+json: only the names of the offending parameters are kept. */
const problemModel = z.object({
  extraDetails: z.array(z.object({ name: z.string() }).loose()).optional(),
});

export interface FailedResponse {
  status: number;
  /** The raw `Retry-After` header, if any. */
  retryAfter: string | undefined;
  body: string;
}

/** Maps a non-2xx answer (after any 401 retry) to its error. */
export function errorForStatus(route: string, response: FailedResponse, now: number): UpstreamError {
  const { status } = response;
  const details = { route, status };
  if (status === 401 || status === 403) {
    return new UpstreamError('UPSTREAM_UNAUTHORIZED', `Upstream refused the gateway's credentials (${status}) on ${route}`, details);
  }
  if (status === 404) return new UpstreamError('NOT_FOUND', `Upstream found nothing at ${route}`, details);
  if (status === 400) {
    const names = badParameterNames(response.body);
    const which = names.length > 0 ? `: ${names.join(', ')}` : '';
    return new UpstreamError('BAD_REQUEST', `Upstream rejected the request parameters on ${route}${which}`, details);
  }
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(response.retryAfter, now);
    return new UpstreamError('UPSTREAM_RATE_LIMITED', `Upstream rate-limited ${route}`, { ...details, retryAfterSeconds });
  }
  if (status === 408 || status === 504) return new UpstreamError('UPSTREAM_TIMEOUT', `Upstream timed out (${status}) on ${route}`, details);
  if (status >= 500) {
    // A 503 may say when to come back, as a 429 does.
    const retryAfterSeconds = parseRetryAfter(response.retryAfter, now);
    return new UpstreamError('UPSTREAM_UNAVAILABLE', `Upstream failed (${status}) on ${route}`, { ...details, retryAfterSeconds });
  }
  return new UpstreamError('UPSTREAM_BAD_RESPONSE', `Upstream answered an unexpected status ${status} on ${route}`, details);
}

// The HTTP layer aborts a request only at its deadline, so an abort is a timeout too.
const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_ABORTED']);

/** Maps a failure that happened before or while reading an answer (no usable status). */
export function errorForTransport(route: string, error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (error instanceof DeadlineExceededError) {
    return new UpstreamError('UPSTREAM_TIMEOUT', `Upstream had not answered on ${route} when ${error.message}`, { route, cause: error });
  }
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const name = error instanceof Error ? error.name : '';
  if (timeoutCodes.has(code) || name === 'TimeoutError') {
    return new UpstreamError('UPSTREAM_TIMEOUT', `Upstream did not answer in time on ${route}`, { route, cause: error });
  }
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return new UpstreamError('UPSTREAM_BAD_RESPONSE', `Upstream answer too large on ${route}`, { route, cause: error });
  }
  return new UpstreamError('UPSTREAM_UNAVAILABLE', `Upstream unreachable on ${route}`, { route, cause: error });
}

/** A 2xx whose body is not JSON, or not the shape the model expects. */
export function errorForBody(route: string, status: number, problem: string, cause?: unknown): UpstreamError {
  return new UpstreamError('UPSTREAM_BAD_RESPONSE', `Upstream answered an unreadable body on ${route}: ${problem}`, { route, status, cause });
}

/** A call refused without trying: its route failed too often of late (an open circuit). */
export function errorForOpenCircuit(route: string, retryInMs: number): UpstreamError {
  return new UpstreamError('UPSTREAM_UNAVAILABLE', `Upstream calls to ${route} are failing; not tried now (circuit open)`, {
    route,
    retryAfterSeconds: Math.max(1, Math.ceil(retryInMs / 1000)),
  });
}

function badParameterNames(body: string): string[] {
  try {
    const problem = problemModel.safeParse(JSON.parse(body));
    if (!problem.success) return [];
    // Names are upstream text in our message: keep a few, short.
    return (problem.data.extraDetails ?? []).slice(0, 5).map((detail) => detail.name.slice(0, 64));
  } catch {
    return [];
  }
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | undefined, now: number): number | null {
  if (header === undefined) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * What a route answers, before faults and before it is written to the socket. Bodies are
 * serialised once: a cached page is a Buffer handed out as is.
 */

export interface Reply {
  status: number;
  body: Buffer | string;
  contentType: string;
  headers?: Record<string, string>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, body: JSON.stringify(body), contentType: JSON_TYPE, ...(headers ? { headers } : {}) };
}

export function jsonBuffer(body: Buffer, headers?: Record<string, string>): Reply {
  return { status: 200, body, contentType: JSON_TYPE, ...(headers ? { headers } : {}) };
}

export interface ExtraDetail {
  name: string;
  reason: string;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
};

/**
 * RFC 7807 problem in the platform's shape. A 404 for a ledger carries nothing about the request
 * (no instance, no trace id), so an unknown ledger and one not granted answer byte for byte alike.
 */
export function problem(status: number, detail: string, extra?: { instance?: string; extraDetails?: ExtraDetail[] }): Reply {
  return {
    status,
    contentType: PROBLEM_TYPE,
    body: JSON.stringify({
      type: `https://httpstatuses.io/${status}`,
      title: titles[status] ?? 'Error',
      status,
      detail,
      ...(extra?.instance ? { instance: extra.instance } : {}),
      ...(extra?.extraDetails ? { extraDetails: extra.extraDetails } : {}),
    }),
  };
}

export function badRequest(path: string, name: string, reason: string): Reply {
  return problem(400, 'See extraDetails for further details', { instance: path, extraDetails: [{ name, reason }] });
}

export const noSuchLedger = (): Reply => problem(404, 'No such ledgerId');

export function unauthorized(): Reply {
  return {
    ...json(401, { code: 'Unauthorized', message: 'Please check your API keys' }),
    headers: { 'WWW-Authenticate': 'Bearer' },
  };
}

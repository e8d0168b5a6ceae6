import { UpstreamError } from './errors.ts';

/** Turning a route template and its parameters into the path and query sent upstream. */

export type UpstreamQuery = Record<string, string | number | boolean | undefined>;

export function queryString(query: UpstreamQuery | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * The path of a route template with its parameters filled in, each encoded as one segment:
 * references may hold any character, `/` included. An empty or dots-only value cannot be sent
 * as a segment at all (URL parsers resolve `..` away, onto another route), so it is refused.
 */
export function fillRoute(route: string, params: Record<string, string>): string {
  return route.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`no value for {${name}} in ${route}`);
    if (/^\.*$/.test(value)) {
      throw new UpstreamError('BAD_REQUEST', `${name} cannot be addressed upstream (empty or only dots)`, { route: `GET ${route}` });
    }
    return encodeURIComponent(value);
  });
}

/**
 * The upstream routes by template. Statistics and faults are keyed by these exact strings
 * (`GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}`).
 */

export const routeTemplates = [
  'POST /miami/v1/token',
  'GET /settlement/v1/ledgers',
  'GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}',
  'GET /report/v2/ledgers/{ledgerId}/{topic}/feed',
  'GET /sales/report/v1/ledgers/{ledgerId}',
  'GET /sales/report/v1/ledgers/{ledgerId}/dates/{ledgerDate}',
  'GET /sales/report/v1/ledgers/{ledgerId}/references/{reference}',
  'GET /sales/report/v1/ledgers/{ledgerId}/psp-references/{pspReference}',
] as const;

export type RouteTemplate = (typeof routeTemplates)[number];

export interface RouteMatch {
  template: RouteTemplate;
  params: Record<string, string>;
  /** The path matched but the method did not. */
  wrongMethod: boolean;
}

interface CompiledRoute {
  template: RouteTemplate;
  method: string;
  segments: string[];
}

const compiled: CompiledRoute[] = routeTemplates.map((template) => {
  const [method = '', path = ''] = template.split(' ');
  return { template, method, segments: path.split('/').slice(1) };
});

/** A path segment as sent when its percent-encoding is broken: it then names nothing that exists. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchSegments(route: CompiledRoute, segments: string[]): Record<string, string> | null {
  if (route.segments.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const expected = route.segments[i] ?? '';
    const actual = segments[i] ?? '';
    if (expected.startsWith('{')) {
      if (actual === '') return null;
      params[expected.slice(1, -1)] = decodeSegment(actual);
    } else if (expected !== actual) {
      return null;
    }
  }
  return params;
}

export function matchRoute(method: string, pathname: string): RouteMatch | null {
  const segments = pathname.split('/').slice(1);
  let wrongMethod: RouteMatch | null = null;
  for (const route of compiled) {
    const params = matchSegments(route, segments);
    if (!params) continue;
    if (route.method === method) return { template: route.template, params, wrongMethod: false };
    wrongMethod ??= { template: route.template, params, wrongMethod: true };
  }
  return wrongMethod;
}

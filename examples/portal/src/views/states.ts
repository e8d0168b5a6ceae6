import type { GraphQLError } from '../api.ts';
import { h } from '../html.ts';

/**
 * What a part of the page says when it has nothing to show. Each view is one request; a field
 * whose upstream failed comes back null with an error on its path while the rest of the answer
 * renders, so each section looks for the errors on its own path only.
 */

export type SectionState = 'loading' | 'ready' | 'error' | 'not-found' | 'open';

export function section(name: string, title: string, state: SectionState, ...content: (Node | string | null)[]): HTMLElement {
  return h('section', { 'data-section': name, 'data-state': state }, h('h2', {}, title), ...content.filter((item) => item !== null));
}

export function loading(name: string, title: string): HTMLElement {
  return section(name, title, 'loading', h('p', { class: 'loading' }, 'Loading…'));
}

/** The first error at `path` or below it. */
export function errorAt(errors: readonly GraphQLError[], path: readonly string[]): GraphQLError | undefined {
  return errors.find((error) => path.every((segment, index) => error.path?.[index] === segment));
}

export function explain(error: GraphQLError): string {
  const code = error.extensions?.code ?? 'UNKNOWN';
  const retry = error.extensions?.retryAfterSeconds;
  const later = retry === undefined ? 'Try again in a moment.' : `Try again in ${retry} s.`;
  switch (code) {
    case 'UPSTREAM_UNAVAILABLE':
    case 'UPSTREAM_TIMEOUT':
    case 'UPSTREAM_RATE_LIMITED':
    case 'GATEWAY_UNREACHABLE':
      return `Upstream unavailable: Vipps MobilePay did not answer for this part (${code}). ${later}`;
    case 'UNAUTHENTICATED':
      return 'Your session has ended: sign out and sign in again.';
    case 'BAD_USER_INPUT':
      return `Not a valid request: ${error.message}`;
    case 'COST_LIMIT_EXCEEDED':
    case 'QUERY_TOO_COSTLY':
      return 'Too much at once: choose a shorter range.';
    default:
      return `Could not load this part (${code}).`;
  }
}

export function failed(name: string, title: string, error: GraphQLError): HTMLElement {
  return section(name, title, 'error', h('p', { class: 'error', 'data-code': error.extensions?.code ?? 'UNKNOWN' }, explain(error)));
}

export function notFound(ledgerId: string): HTMLElement {
  return section(
    'ledger',
    'Ledger not found',
    'not-found',
    h('p', { class: 'error', 'data-code': 'NOT_FOUND' }, `There is no ledger ${ledgerId} among yours.`),
  );
}

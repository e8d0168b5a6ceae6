import type { Answer, GraphQLError } from '../api.ts';
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
    case 'RATE_LIMITED':
      return `Too many requests for now. ${later}`;
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

/**
 * A part whose field came back null: its upstream failed (the error on its path), the request was
 * refused as a whole (an error without a path: a spent budget, an ended session), or there is nothing.
 */
export function missing(answer: Answer<unknown>, path: readonly string[], name: string, title: string, nothing: string): HTMLElement {
  const error = errorAt(answer.errors, path) ?? answer.errors.find((each) => each.path === undefined);
  return error === undefined ? section(name, title, 'ready', h('p', {}, nothing)) : failed(name, title, error);
}

/** The view's ledger, or what to show instead: not found (not the merchant's, or no such ledger) or the failure. */
export function ledgerOf<Found extends { __typename: string }>(answer: Answer<{ ledger?: Found | null }>, ledgerId: string): Extract<Found, { __typename: 'Ledger' }> | HTMLElement {
  const ledger = answer.data?.ledger;
  if (ledger === null || ledger === undefined) {
    const error = errorAt(answer.errors, ['ledger']) ?? answer.errors[0];
    return error === undefined ? notFound(ledgerId) : failed('ledger', 'Ledger', error);
  }
  return ledger.__typename === 'Ledger' ? (ledger as Extract<Found, { __typename: 'Ledger' }>) : notFound(ledgerId);
}

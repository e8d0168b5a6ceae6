import type { PortalClosedDatesSubscription } from '../gql/graphql.ts';
import { h, money } from '../html.ts';
import { explain, section } from './states.ts';
import type { GraphQLError } from '../api.ts';

/**
 * Dates that close while the page is open, newest first, as the gateway tells them: a new day
 * appears without a reload and without polling.
 */

type Closed = PortalClosedDatesSubscription['ledgerDateClosed'];

export interface ClosedDays {
  element: HTMLElement;
  add(closed: Closed): void;
  fail(errors: GraphQLError[]): void;
}

export function closedDays(): ClosedDays {
  const list = h('ul', { class: 'closed-days' });
  const note = h('p', { class: 'hint' }, 'Dates that close while you are here appear below.');
  const element = section('closed-days', 'Newly closed', 'ready', note, list);
  return {
    element,
    add(closed) {
      list.prepend(
        h(
          'li',
          { 'data-closed-date': closed.date, 'data-closed-ledger': closed.ledgerId },
          `${closed.date} · ${closed.ledgerId} · closed with `,
          money(closed.closingBalance),
        ),
      );
    },
    fail(errors) {
      element.setAttribute('data-state', 'error');
      note.replaceChildren(errors[0] === undefined ? 'Live updates stopped.' : explain(errors[0]));
    },
  };
}

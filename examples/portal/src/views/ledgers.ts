import type { Answer } from '../api.ts';
import type { PortalLedgersQuery } from '../gql/graphql.ts';
import { h } from '../html.ts';
import { missing, section } from './states.ts';

/** The ledgers the merchant's tenant grants: the gateway lists no other. */

export type LedgerSummary = NonNullable<PortalLedgersQuery['ledgers']>['edges'][number]['node'];

export function ledgerList(answer: Answer<PortalLedgersQuery>, selected: string | null, linkTo: (ledger: LedgerSummary) => string): HTMLElement {
  const title = 'Your ledgers';
  const ledgers = answer.data?.ledgers;
  if (ledgers === null || ledgers === undefined) return missing(answer, ['ledgers'], 'ledgers', title, 'No ledgers.');
  const items = ledgers.edges.map(({ node }) =>
    h(
      'li',
      { 'data-ledger': node.ledgerId, class: node.ledgerId === selected ? 'selected' : '' },
      h('a', { href: linkTo(node) }, node.ledgerId),
      h('span', { class: 'hint' }, ` ${node.salesUnits.map((unit) => unit.name).join(', ')} · ${node.currency}`),
    ),
  );
  return section('ledgers', title, 'ready', h('ul', { class: 'ledgers' }, ...items));
}

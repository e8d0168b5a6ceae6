import type { Answer } from '../api.ts';
import type { PortalReconciliationQuery } from '../gql/graphql.ts';
import { clockTime, h, money } from '../html.ts';
import { errorAt, failed, notFound, section } from './states.ts';

/** One ledger date's sales against its money movements: what matched, and what did not and why. */

type Ledger = Extract<NonNullable<PortalReconciliationQuery['ledger']>, { __typename: 'Ledger' }>;
type Found = NonNullable<Ledger['reconciliation']>;

function unmatched(found: Found, timeZone: string): HTMLElement[] {
  const saleItem = (item: Found['salesWithoutMovement'][number], why: string) =>
    h('li', { 'data-outcome': item.outcome }, `${item.sale.reference} (${clockTime(item.sale.time, timeZone)}) `, money(item.sale.gross), ` — ${why}`);
  return [
    ...found.salesWithoutMovement.map((item) =>
      saleItem(item, item.outcome === 'PENDING' ? 'not booked yet: a date it can land on is still open' : 'no money movement was booked for it'),
    ),
    ...found.amountMismatches.map((item) => {
      const line = saleItem(item, 'booked with another amount, off by ');
      line.append(money(item.difference));
      return line;
    }),
    ...found.movementsWithoutSale.map((item) =>
      h(
        'li',
        { 'data-outcome': item.isExpected ? 'EXPECTED_WITHOUT_SALE' : 'WITHOUT_SALE' },
        `${item.movement.entryType} ${item.movement.pspReference ?? ''} `,
        money(item.movement.amount),
        ` — ${item.isExpected ? `no sale expected (${item.reason ?? 'not a sale'})` : 'no sale found for this movement'}`,
      ),
    ),
  ];
}

export function reconciliationView(answer: Answer<PortalReconciliationQuery>, ledgerId: string, date: string): HTMLElement[] {
  const ledger = answer.data?.ledger;
  if (ledger === null || ledger === undefined) {
    const error = errorAt(answer.errors, ['ledger']) ?? answer.errors[0];
    return [error === undefined ? notFound(ledgerId) : failed('ledger', 'Ledger', error)];
  }
  if (ledger.__typename === 'NotFoundError') return [notFound(ledgerId)];
  const title = `Reconciliation of ${date}`;
  const found = ledger.reconciliation;
  if (found === null || found === undefined) {
    const error = errorAt(answer.errors, ['ledger', 'reconciliation']);
    return [error === undefined ? section('reconciliation', title, 'ready', h('p', {}, 'Nothing to reconcile.')) : failed('reconciliation', title, error)];
  }
  const problems = unmatched(found, ledger.timeZone);
  return [
    section(
      'reconciliation',
      title,
      found.isFinal ? 'ready' : 'open',
      found.isFinal ? null : h('p', { class: 'notice', 'data-notice': 'not-closed' }, 'Not final yet: a date it reads is still open.'),
      h(
        'table',
        { class: 'totals' },
        h(
          'tbody',
          {},
          h('tr', { 'data-total': 'matched' }, h('th', {}, 'Sales matched'), h('td', {}, `${found.matchedCount} of ${found.salesCount}`)),
          h('tr', { 'data-total': 'sold' }, h('th', {}, 'Sold'), h('td', {}, money(found.totals.salesGross))),
          h('tr', { 'data-total': 'booked' }, h('th', {}, 'Booked for them'), h('td', {}, money(found.totals.bookedForSales))),
          h('tr', { 'data-total': 'difference' }, h('th', {}, 'Difference'), h('td', {}, money(found.totals.difference))),
        ),
      ),
      h('h3', {}, problems.length === 0 ? 'Everything matched.' : `Did not match: ${problems.length}`),
      problems.length === 0 ? null : h('ul', { class: 'unmatched' }, ...problems),
    ),
  ];
}

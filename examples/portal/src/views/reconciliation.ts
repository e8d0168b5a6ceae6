import type { Answer } from '../api.ts';
import type { PortalReconciliationQuery } from '../gql/graphql.ts';
import { clockTime, h, money } from '../html.ts';
import { ledgerOf, missing, section } from './states.ts';

/** One ledger date's sales against its money movements: what matched, and what did not and why. */

type Ledger = Extract<NonNullable<PortalReconciliationQuery['ledger']>, { __typename: 'Ledger' }>;
type Found = NonNullable<Ledger['reconciliation']>;

const reasons: Record<string, string> = {
  LEDGER_ENTRY: 'booked for the ledger, not for a sale (a payout, fees)',
  DISPUTE: 'a dispute of an earlier capture',
  API_PAYMENT: 'a payment to an API merchant, which the Sales API does not cover',
  ADJUSTMENT: "an adjustment of a sale's money",
};

/** What did not match, and why: sales without their movement or with another amount, movements without their sale. */
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
    ...found.movementsWithoutSale
      .filter((item) => !item.isExpected)
      .map((item) => movementItem(item, 'WITHOUT_SALE', 'no sale was found for this movement')),
  ];
}

function movementItem(item: Found['movementsWithoutSale'][number], outcome: string, why: string): HTMLElement {
  const { movement } = item;
  return h('li', { 'data-outcome': outcome, 'data-psp': movement.pspReference ?? '' }, `${movement.entryType} ${movement.pspReference ?? ''} `, money(movement.amount), ` — ${why}`);
}

export function reconciliationView(answer: Answer<PortalReconciliationQuery>, ledgerId: string, date: string): HTMLElement[] {
  const ledger = ledgerOf(answer, ledgerId);
  if (ledger instanceof HTMLElement) return [ledger];
  const title = `Reconciliation of ${date}`;
  const found = ledger.reconciliation;
  if (found === null || found === undefined) return [missing(answer, ['ledger', 'reconciliation'], 'reconciliation', title, 'Nothing to reconcile.')];
  const problems = unmatched(found, ledger.timeZone);
  const expected = found.movementsWithoutSale
    .filter((item) => item.isExpected)
    .map((item) => movementItem(item, 'EXPECTED_WITHOUT_SALE', reasons[item.reason ?? ''] ?? 'not a sale'));
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
      h('h3', {}, problems.length === 0 ? 'Every sale and movement matched.' : `Did not match: ${problems.length}`),
      problems.length === 0 ? null : h('ul', { class: 'unmatched' }, ...problems),
      expected.length === 0 ? null : h('h3', {}, 'Entries that are not sales'),
      expected.length === 0 ? null : h('ul', { class: 'not-sales' }, ...expected),
    ),
  ];
}

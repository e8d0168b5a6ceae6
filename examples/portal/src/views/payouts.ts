import type { Answer } from '../api.ts';
import type { PortalPayoutsQuery } from '../gql/graphql.ts';
import { dateAndTime, h, money } from '../html.ts';
import { ledgerOf, missing, section } from './states.ts';

/** The payouts of a range of ledger dates, each with the dates and the sales it pays for. */

export function payoutsView(answer: Answer<PortalPayoutsQuery>, ledgerId: string, from: string, to: string): HTMLElement[] {
  const ledger = ledgerOf(answer, ledgerId);
  if (ledger instanceof HTMLElement) return [ledger];
  const title = `Payouts from ${from} to ${to}`;
  if (ledger.payouts === null || ledger.payouts === undefined) return [missing(answer, ['ledger', 'payouts'], 'payouts', title, 'No payouts.')];
  if (ledger.payouts.length === 0) return [section('payouts', title, 'ready', h('p', {}, 'No payouts on these dates.'))];
  const payouts = ledger.payouts.map((payout) => {
    const covered = payout.coveredDates ?? [];
    const sales = payout.sales;
    return h(
      'article',
      { class: 'payout', 'data-payout': payout.payoutNumber },
      h('h3', {}, `Payout ${payout.payoutNumber} on ${payout.date}: `, money(payout.amount)),
      h('p', { class: 'hint' }, `Paid ${dateAndTime(payout.time, ledger.timeZone)} (${ledger.timeZone}).`),
      h(
        'p',
        { 'data-covered': covered.join(' ') },
        covered.length === 0 ? 'Covers no dates found.' : `Covers ${covered[0]} to ${covered[covered.length - 1]} (${covered.length === 1 ? '1 date' : `${covered.length} dates`})`,
        payout.isCoverageComplete === false ? ' — and perhaps earlier dates: no earlier payout was found.' : '',
      ),
      sales === null || sales === undefined
        ? h('p', { class: 'error' }, 'Sales unavailable.')
        : h(
            'details',
            {},
            h('summary', {}, `${sales.totalCount} sales${sales.edges.length < sales.totalCount ? ` (the first ${sales.edges.length} listed)` : ''}`),
            h('ul', {}, ...sales.edges.map(({ node }) => h('li', {}, `${dateAndTime(node.time, ledger.timeZone)} ${node.reference} `, money(node.gross)))),
          ),
    );
  });
  return [section('payouts', title, 'ready', ...payouts)];
}

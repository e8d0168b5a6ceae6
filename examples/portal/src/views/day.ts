import type { Answer } from '../api.ts';
import type { PortalDayQuery } from '../gql/graphql.ts';
import { clockTime, h, money, type Amount } from '../html.ts';
import { errorAt, ledgerOf, missing, section } from './states.ts';

/** A ledger date: its balances and totals, then every sale with its lines, captures, fees and settlement. */

type Ledger = Extract<NonNullable<PortalDayQuery['ledger']>, { __typename: 'Ledger' }>;
type Sale = NonNullable<Ledger['sales']>['edges'][number]['node'];

function totalRow(name: string, label: string, count: number | null, amount: Amount | null | undefined): HTMLElement {
  return h('tr', { 'data-total': name }, h('th', {}, label), h('td', { class: 'count' }, count === null ? '' : String(count)), h('td', {}, money(amount)));
}

function totals(answer: Answer<PortalDayQuery>, ledger: Ledger, date: string): HTMLElement {
  const day = ledger.day;
  const title = `Totals of ${date}`;
  if (day === null || day === undefined) return missing(answer, ['ledger', 'day'], 'totals', title, 'No books for this date.');
  const movements = day.movements;
  const salesError = errorAt(answer.errors, ['ledger', 'day', 'sales']);
  const rows = [
    totalRow('opening', 'Opening balance', null, day.openingBalance),
    day.sales === null || day.sales === undefined
      ? h('tr', { 'data-total': 'sold' }, h('th', {}, 'Sold'), h('td', { colspan: '2', class: 'error' }, salesError === undefined ? '–' : 'Sales unavailable'))
      : totalRow('sold', 'Sold', day.sales.all.count, day.sales.all.gross),
    movements && totalRow('captures', 'Captured', movements.captures.count, movements.captures.amount),
    movements && totalRow('refunds', 'Refunded', movements.refunds.count, movements.refunds.amount),
    movements && totalRow('fees', 'Fees retained', movements.fees.retained.count, movements.fees.retained.amount),
    movements && totalRow('payouts', 'Paid out', movements.payouts.count, movements.payouts.amount),
    totalRow('closing', 'Closing balance', null, day.closingBalance),
  ];
  const open = day.isClosed === false;
  return section(
    'totals',
    title,
    open ? 'open' : 'ready',
    open ? h('p', { class: 'notice', 'data-notice': 'not-closed' }, 'Not closed yet: this date is still open and its figures may change.') : null,
    h('table', { class: 'totals' }, h('tbody', {}, ...rows)),
  );
}

function saleRow(sale: Sale, timeZone: string): HTMLElement {
  const lines = sale.orderLines.map((line) => h('li', {}, `${line.quantity} × ${line.name} `, money(line.lineTotalGross)));
  const entries = (label: string, list: Sale['captures']) =>
    (list ?? []).map((entry) => h('div', { class: 'entry' }, `${label} ${entry.ledgerDate} `, money(entry.amount)));
  const settlement = sale.settlement;
  return h(
    'tr',
    { 'data-sale': sale.reference },
    h('td', {}, clockTime(sale.time, timeZone)),
    h('td', {}, h('div', {}, sale.reference), lines.length === 0 ? null : h('ul', { class: 'lines' }, lines)),
    h('td', {}, money(sale.gross)),
    h('td', {}, ...entries('Booked', sale.captures), ...entries('Fee', sale.fees)),
    h('td', { 'data-settlement': settlement?.status ?? 'UNKNOWN' }, settlement === null || settlement === undefined ? '–' : `${settlement.status}${settlement.ledgerDate ? ` ${settlement.ledgerDate}` : ''}`),
  );
}

function sales(answer: Answer<PortalDayQuery>, ledger: Ledger): HTMLElement {
  const title = 'Sales';
  if (ledger.sales === null || ledger.sales === undefined) return missing(answer, ['ledger', 'sales'], 'sales', title, 'No sales.');
  const rows = ledger.sales.edges.map((edge) => saleRow(edge.node, ledger.timeZone));
  const shown = rows.length < ledger.sales.totalCount ? ` (the first ${rows.length} of ${ledger.sales.totalCount})` : '';
  return section(
    'sales',
    `${title}: ${ledger.sales.totalCount}${shown}`,
    'ready',
    h('p', { class: 'hint' }, `Times in ${ledger.timeZone}, the ledger's time zone.`),
    h(
      'table',
      { class: 'sales' },
      h('thead', {}, h('tr', {}, ...['Time', 'Order', 'Gross', 'Booked', 'Settlement'].map((name) => h('th', {}, name)))),
      h('tbody', {}, ...rows),
    ),
  );
}

export function dayView(answer: Answer<PortalDayQuery>, ledgerId: string, date: string): HTMLElement[] {
  const ledger = ledgerOf(answer, ledgerId);
  if (ledger instanceof HTMLElement) return [ledger];
  return [totals(answer, ledger, date), sales(answer, ledger)];
}

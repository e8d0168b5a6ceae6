import { run } from './api.ts';
import { ClosedDates, Day, Ledgers, Payouts, Reconciliation } from './documents.ts';
import { listen } from './live.ts';
import { closedDays, type ClosedDays } from './views/closed-days.ts';
import type { PortalLedgersQuery } from './gql/graphql.ts';
import { addDays, h, todayIn } from './html.ts';
import { currentSession, portalConfig, signIn, signOut, type PortalConfig, type Session } from './session.ts';
import { dayView } from './views/day.ts';
import { ledgerList } from './views/ledgers.ts';
import { payoutsView } from './views/payouts.ts';
import { reconciliationView } from './views/reconciliation.ts';
import { loading } from './views/states.ts';
import type { Answer } from './api.ts';
import './style.css';

/**
 * The portal: sign in, pick a ledger, then its day, payouts or reconciliation. The place is the
 * URL's hash (`#/<ledgerId>/<view>/<date>`), so a view can be bookmarked and reloaded; editing it
 * to a ledger that is not the merchant's shows "not found", since the gateway answers nothing else.
 */

type View = 'day' | 'payouts' | 'reconciliation';
const views: Record<View, string> = { day: 'Day', payouts: 'Payouts', reconciliation: 'Reconciliation' };
/** Payouts are listed for two weeks of ledger dates up to the chosen one. */
const payoutDays = 14;

interface Place {
  ledgerId: string;
  view: View;
  date: string | null;
}

const root = document.getElementById('app')!;

function placeOf(hash: string): Place | null {
  const [ledgerId, view, date] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (ledgerId === undefined || ledgerId === '') return null;
  const known = view !== undefined && view in views ? (view as View) : 'day';
  return { ledgerId, view: known, date: date !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : null };
}

const hashOf = (place: Place & { date: string }) => `#/${encodeURIComponent(place.ledgerId)}/${place.view}/${place.date}`;

function signInPage(config: PortalConfig, problem: string | null): void {
  const buttons = config.merchants.map((merchant) => {
    const button = h('button', { type: 'button', 'data-merchant': merchant.id }, `Sign in as ${merchant.name}`);
    button.addEventListener('click', async () => {
      await signIn(merchant.id);
      void render(config);
    });
    return button;
  });
  root.replaceChildren(
    h(
      'main',
      { class: 'sign-in' },
      h('h1', {}, 'Reporting portal'),
      problem === null ? null : h('p', { class: 'error' }, problem),
      h('p', {}, 'A demo identity provider: choose a merchant.'),
      ...buttons,
    ),
  );
}

let ledgerAnswer: { token: string; answer: Promise<Answer<PortalLedgersQuery>> } | null = null;
/** One subscription per sign-in, for all the merchant's ledgers; its list stays across views. */
let live: { token: string; days: ClosedDays; stop: () => void } | null = null;

function liveDays(config: PortalConfig, session: Session, ledgerIds: string[]): ClosedDays {
  if (live?.token === session.token) return live.days;
  live?.stop();
  const days = closedDays();
  const stop = listen(config.gatewayUrl, session.token, ClosedDates, { ledgerIds, since: null }, {
    data: (data) => days.add(data.ledgerDateClosed),
    error: (errors) => days.fail(errors),
    cursorOf: (data) => data.ledgerDateClosed.cursor,
  });
  live = { token: session.token, days, stop };
  return days;
}

async function render(config: PortalConfig): Promise<void> {
  const session = currentSession();
  if (session === null) return signInPage(config, null);
  // The ledger list is asked once per sign-in; every view after it is one request.
  if (ledgerAnswer?.token !== session.token) ledgerAnswer = { token: session.token, answer: run(config.gatewayUrl, session.token, Ledgers, {}) };
  const ledgers = await ledgerAnswer.answer;
  if (ledgers.refusedWith === 401) {
    signOut();
    return signInPage(config, 'Your session has ended: sign in again.');
  }
  const first = ledgers.data?.ledgers?.edges[0]?.node ?? null;
  const zones = new Map(ledgers.data?.ledgers?.edges.map(({ node }) => [node.ledgerId, node.timeZone]) ?? []);
  const place = placeOf(location.hash) ?? (first === null ? null : { ledgerId: first.ledgerId, view: 'day' as const, date: null });
  // Yesterday on the ledger's clock is the newest date that can be closed.
  const date = place?.date ?? addDays(todayIn(zones.get(place?.ledgerId ?? '') ?? 'Europe/Oslo'), -1);
  if (place !== null && place.date === null) {
    history.replaceState(null, '', hashOf({ ...place, date }));
  }
  const list = ledgerList(ledgers, place?.ledgerId ?? null, (ledger) => hashOf({ ledgerId: ledger.ledgerId, view: place?.view ?? 'day', date }));
  const content = h('div', { class: 'content' });
  const ledgerIds = ledgers.data?.ledgers?.edges.map(({ node }) => node.ledgerId) ?? [];
  const closed = ledgerIds.length === 0 ? null : liveDays(config, session, ledgerIds).element;
  root.replaceChildren(header(session, place, date), h('main', {}, h('nav', {}, list, closed), content));
  if (place === null) return;
  content.replaceChildren(loading(place.view, views[place.view]));
  content.replaceChildren(...(await viewOf(config, session, place, date)));
}

function header(session: Session, place: Place | null, date: string): HTMLElement {
  const signOutButton = h('button', { type: 'button', 'data-action': 'sign-out' }, 'Sign out');
  signOutButton.addEventListener('click', () => {
    live?.stop();
    signOut();
    location.hash = '';
    location.reload();
  });
  const tabs =
    place === null
      ? null
      : h(
          'div',
          { class: 'tabs' },
          ...(Object.keys(views) as View[]).map((view) =>
            h('a', { href: hashOf({ ...place, view, date }), class: view === place.view ? 'selected' : '', 'data-view': view }, views[view]),
          ),
        );
  const picker = h('input', { type: 'date', value: date, 'aria-label': 'Ledger date' }) as HTMLInputElement;
  picker.addEventListener('change', () => {
    if (place !== null && picker.value !== '') location.hash = hashOf({ ...place, date: picker.value });
  });
  return h('header', {}, h('strong', {}, 'Reporting portal'), tabs, place === null ? null : picker, h('span', { class: 'who', 'data-merchant': session.merchant.id }, session.merchant.name), signOutButton);
}

async function viewOf(config: PortalConfig, session: Session, place: Place, date: string): Promise<HTMLElement[]> {
  const { gatewayUrl } = config;
  switch (place.view) {
    case 'day':
      return dayView(await run(gatewayUrl, session.token, Day, { ledgerId: place.ledgerId, date }), place.ledgerId, date);
    case 'payouts': {
      const from = addDays(date, 1 - payoutDays);
      return payoutsView(await run(gatewayUrl, session.token, Payouts, { ledgerId: place.ledgerId, from, to: date }), place.ledgerId, from, date);
    }
    case 'reconciliation':
      return reconciliationView(await run(gatewayUrl, session.token, Reconciliation, { ledgerId: place.ledgerId, date }), place.ledgerId, date);
  }
}

const config = await portalConfig();
window.addEventListener('hashchange', () => void render(config));
await render(config);

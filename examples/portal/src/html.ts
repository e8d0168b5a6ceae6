/** The page's few DOM and formatting helpers: enough for a small example, no framework. */

type Child = Node | string | null | undefined | false;

export function h(tag: string, attributes: Record<string, string> = {}, ...children: (Child | Child[])[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

export interface Amount {
  decimal: string;
  currency: string;
}

/**
 * An amount exactly as the gateway wrote it: the decimal string is grouped by hand, never turned
 * into a JavaScript number (which cannot hold every amount exactly). `data-decimal` keeps the
 * figure machine-readable.
 */
export function money(amount: Amount | null | undefined): HTMLElement {
  if (amount === null || amount === undefined) return h('span', { class: 'money missing' }, '–');
  const negative = amount.decimal.startsWith('-');
  const [whole = '0', fraction] = amount.decimal.replace(/^-/, '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  const text = `${negative ? '−' : ''}${grouped}${fraction === undefined ? '' : `,${fraction}`} ${amount.currency}`;
  return h('span', { class: negative ? 'money negative' : 'money', 'data-decimal': amount.decimal, 'data-currency': amount.currency }, text);
}

/** A moment on the ledger's wall clock (the time zone its dates run on), not the browser's. */
export function clockTime(isoTime: string, timeZone: string): string {
  return new Intl.DateTimeFormat('nb-NO', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(isoTime));
}

export function dateAndTime(isoTime: string, timeZone: string): string {
  return new Intl.DateTimeFormat('nb-NO', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(isoTime));
}

/** Today's date on the ledger's wall clock, as `YYYY-MM-DD`. */
export function todayIn(timeZone: string, now = new Date()): string {
  // Swedish writes dates as ISO does.
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(date: string, days: number): string {
  const moment = new Date(`${date}T00:00:00Z`);
  moment.setUTCDate(moment.getUTCDate() + days);
  return moment.toISOString().slice(0, 10);
}

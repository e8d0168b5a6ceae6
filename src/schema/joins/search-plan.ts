import { bookingLagDays, searchWindow } from '../../kernel/booking-window.ts';
import { addDays } from '../../kernel/calendar.ts';
import type { MirrorLocation } from '../../sources/report/client.ts';

/**
 * Which ledger dates a search for a sale's (or an order's) entries reads, and what the answer
 * can then claim: the one place the joins decide how far to look.
 */

/** How far a search reaches: the booking window of the sale's own capture and fees, or its whole history. */
export type Reach = { kind: 'booking' } | { kind: 'history'; days: number };

export interface SearchPlan {
  /** The dates to read, oldest first. */
  dates: string[];
  /** Every date through this one is covered: read, or complete in the feed mirror. */
  checkedThrough: string | null;
  /** Nothing that exists now can be missing: what is covered reaches the newest date there is. */
  complete: boolean;
  viaMirror: boolean;
}

/**
 * The dates for entries of what was sold from `from` to `to` (Sales dates), up to `newest`:
 *
 * - without the feed mirror, the window from `from`: the booking window (the sale's date and the
 *   next), or the history window (`days` dates from the first sale to after the last);
 * - with the mirror, every date it names, at any distance, and the dates it may not hold
 *   completely yet (its horizon and later) within the window. A history window then starts at
 *   the horizon: an old sale's history reads only what the mirror has not read yet.
 */
export function planSearch(location: MirrorLocation | null, from: string, to: string, reach: Reach, newest: string): SearchPlan {
  const days = reach.kind === 'booking' ? bookingLagDays + 1 : reach.days;
  const horizon = location?.horizon ?? null;
  const anchor = location !== null && reach.kind === 'history' && horizon !== null && horizon > from ? horizon : from;
  const window = searchWindow(anchor, to > anchor ? to : anchor, days, newest);
  const windowEnd = window.dates.at(-1) ?? null;
  if (location === null) return { dates: window.dates, checkedThrough: windowEnd, complete: window.reachesNewest, viaMirror: false };
  const unread = horizon === null ? window.dates : window.dates.filter((date) => date >= horizon);
  const mirrored = horizon === null ? null : addDays(horizon, -1);
  return {
    dates: [...new Set([...location.dates, ...unread])].sort(),
    checkedThrough: laterOf(windowEnd, mirrored),
    complete: window.reachesNewest,
    viaMirror: true,
  };
}

function laterOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

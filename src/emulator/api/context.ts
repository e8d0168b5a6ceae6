import type { TokenAuthority } from '../auth/tokens.ts';
import type { Clock } from '../clock.ts';
import type { DemoPartner, LedgerSpec } from '../data/catalog.ts';
import type { Lru } from '../data/lru.ts';
import type { World } from '../data/world.ts';
import type { Faults } from '../http/faults.ts';
import type { RouteTemplate } from '../http/routes.ts';
import type { Stats } from '../http/stats.ts';

/** What every route handler may use: the data, the clock, and the shared caches. */
export interface EmulatorContext {
  world: World;
  clock: Clock;
  tokens: TokenAuthority;
  reportPageSize: number;
  /** Serialised pages of closed dates, weighed in bytes; filled only through `closedPage`. */
  pages: Lru<string, Buffer>;
  faults: Faults;
  stats: Stats;
  /** What the admin routes ask for; `null` leaves them open (an emulator inside a test process). */
  adminToken: string | null;
}

/** An authenticated upstream call. */
export interface ApiRequest {
  template: RouteTemplate;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  partner: DemoPartner;
}

/** The ledger when the caller was granted it; unknown and not granted look the same. */
export function grantedLedger(context: EmulatorContext, request: ApiRequest): LedgerSpec | null {
  const ledger = context.world.ledger(request.params['ledgerId'] ?? '');
  return ledger && ledger.grantedTo.includes(request.partner.clientId) ? ledger : null;
}

/** A page as built: its bytes, and whether it holds closed dates only. */
export interface BuiltPage {
  body: Buffer;
  closed: boolean;
}

/**
 * A page that holds closed dates only never changes, so it is serialised once and served as the
 * same bytes; a page that reaches into the open date is built on every call. The key must name
 * everything the bytes depend on, the ledger's current date included: a clock moved back (or a
 * feed's lag) reopens dates, and a page kept under another current date is then never found.
 */
export function closedPage(context: EmulatorContext, key: string, build: () => BuiltPage): Buffer {
  const kept = context.pages.get(key);
  if (kept) return kept;
  const page = build();
  if (page.closed) context.pages.set(key, page.body);
  return page.body;
}

/** Binary search: how many entries (ordered by `at`) exist at `now`. */
export function countUntil<T>(items: readonly T[], at: (item: T) => number, now: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const item = items[middle];
    if (item !== undefined && at(item) <= now) low = middle + 1;
    else high = middle;
  }
  return low;
}

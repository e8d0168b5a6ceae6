import type { LiveAccess } from '../live/access.ts';
import { notVisible, type ReadGate } from '../sources/batching.ts';
import { ReadLasting } from '../sources/lasting.ts';
import { ReadBudget, ReadBudgetExceededError } from '../sources/read-budget.ts';
import type { CursorSigner } from '../sources/cursor-signer.ts';
import type { Upstream } from '../sources/index.ts';
import { mayRead, openCaller, type Caller } from '../tenancy/caller.ts';
import { createReportLoaders, type ReportLoaders } from '../sources/report/loaders.ts';
import { createSalesLoaders, type SalesLoaders } from '../sources/sales/loaders.ts';
import { createPayerLoader } from '../sources/report/payer-loaders.ts';

/**
 * What every resolver of one GraphQL request sees. The loaders are built per request, so one
 * request's batching and memoisation never leak into another's (nor across credentials).
 */
export interface Context {
  requestId: string;
  /** Who is asking; every loader below reads only the ledgers its grant covers. */
  caller: Caller;
  /** What the request read, and tried to read outside its grant: for its audit line. */
  reads: RequestReads;
  report: ReportLoaders;
  sales: SalesLoaders;
  /** Funds dates with payers' personal data; null unless the caller's roles include `personal-data`. */
  payers: ReturnType<typeof createPayerLoader> | null;
  /** Upstream's now (epoch milliseconds), from its answers' `Date` headers: which ledger dates have begun. */
  upstreamNow(): number;
  /** Signs and opens the feed positions handed out as cursors (`Ledger.changes`). */
  cursors: CursorSigner;
  /** Live updates (subscriptions); absent where the gateway serves none. */
  live?: LiveAccess;
}

export interface RequestReads {
  ledgers: Set<string>;
  dates: Set<string>;
  /** Reads refused because the ledger is outside the grant. */
  refused: number;
  /** How long what was read stays true: whether the whole answer may be kept (`answer-cache.ts`). */
  lasting: ReadLasting;
}

export function createContext(upstream: Upstream, requestId: string, caller: Caller = openCaller): Context {
  const reads: RequestReads = { ledgers: new Set(), dates: new Set(), refused: 0, lasting: new ReadLasting() };
  const budget = new ReadBudget();
  const gate: ReadGate = {
    allows: (ledgerId) => mayRead(caller, ledgerId),
    sees: (ledgerId) => mayRead(caller, ledgerId),
    admit: (ledgerId, route, read, date) => {
      if (!mayRead(caller, ledgerId)) {
        reads.refused += 1;
        throw notVisible(route);
      }
      if (!budget.charge(read)) throw new ReadBudgetExceededError(budget.limit);
      reads.ledgers.add(ledgerId);
      if (date !== undefined) reads.dates.add(`${ledgerId}/${date}`);
    },
    lasts: (lasting, what) => reads.lasting.note(lasting, what),
    lists: (ledgerIds) => reads.lasting.list(ledgerIds),
  };
  return {
    requestId,
    caller,
    reads,
    report: createReportLoaders(upstream.report, gate),
    sales: createSalesLoaders(upstream.sales, gate),
    payers: caller.roles.has('personal-data') ? createPayerLoader(upstream.report.payers, gate) : null,
    upstreamNow: () => upstream.http.serverClock.now(),
    cursors: upstream.cursors,
  };
}

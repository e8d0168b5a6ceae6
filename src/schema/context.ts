import type { Upstream } from '../sources/index.ts';
import { mayRead, openCaller, type Caller } from '../tenancy/caller.ts';
import { createReportLoaders, type ReportLoaders } from '../sources/report/loaders.ts';
import { createSalesLoaders, type SalesLoaders } from '../sources/sales/loaders.ts';

/**
 * What every resolver of one GraphQL request sees. The loaders are built per request, so one
 * request's batching and memoisation never leak into another's (nor across credentials).
 */
export interface Context {
  requestId: string;
  /** Who is asking; every loader below reads only the ledgers its grant covers. */
  caller: Caller;
  report: ReportLoaders;
  sales: SalesLoaders;
}

export function createContext(upstream: Upstream, requestId: string, caller: Caller = openCaller): Context {
  const access = (ledgerId: string) => mayRead(caller, ledgerId);
  return {
    requestId,
    caller,
    report: createReportLoaders(upstream.report, access),
    sales: createSalesLoaders(upstream.sales, access),
  };
}

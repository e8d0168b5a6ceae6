import type { Upstream } from '../sources/index.ts';
import { createReportLoaders, type ReportLoaders } from '../sources/report/loaders.ts';
import { createSalesLoaders, type SalesLoaders } from '../sources/sales/loaders.ts';

/**
 * What every resolver of one GraphQL request sees. The loaders are built per request, so one
 * request's batching and memoisation never leak into another's (nor across credentials).
 */
export interface Context {
  requestId: string;
  report: ReportLoaders;
  sales: SalesLoaders;
}

export function createContext(upstream: Upstream, requestId: string): Context {
  return {
    requestId,
    report: createReportLoaders(upstream.report),
    sales: createSalesLoaders(upstream.sales),
  };
}

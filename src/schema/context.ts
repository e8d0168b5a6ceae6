import type { Logger } from '../logger.ts';
import type { Deadline } from '../sources/http/resilience/deadline.ts';
import type { Upstream } from '../sources/index.ts';
import { createReportLoaders, type ReportLoaders } from '../sources/report/loaders.ts';
import { createSalesLoaders, type SalesLoaders } from '../sources/sales/loaders.ts';

/**
 * What every resolver of one GraphQL request sees. The loaders are built per request, so one
 * request's batching and memoisation never leak into another's (nor across credentials).
 */
export interface Context {
  requestId: string;
  logger: Logger;
  /** Every upstream call, retry and wait made for this request gives up when it passes. */
  deadline: Deadline;
  report: ReportLoaders;
  sales: SalesLoaders;
}

export function createContext(upstream: Upstream, requestId: string, logger: Logger, deadline: Deadline): Context {
  return {
    requestId,
    logger,
    deadline,
    report: createReportLoaders(upstream.report),
    sales: createSalesLoaders(upstream.sales),
  };
}

import { UpstreamHttp, type UpstreamHttpOptions } from './http.ts';
import { ReportClient } from './report/client.ts';
import { SalesClient } from './sales/client.ts';

/** Both upstream APIs over one shared request path (one pool, one token). */
export interface Upstream {
  http: UpstreamHttp;
  report: ReportClient;
  sales: SalesClient;
  close(): Promise<void>;
}

export function createUpstream(options: UpstreamHttpOptions): Upstream {
  const http = new UpstreamHttp(options);
  return {
    http,
    report: new ReportClient(http),
    sales: new SalesClient(http),
    close: () => http.close(),
  };
}

export { UpstreamError, isUpstreamError, type UpstreamErrorCode } from './errors.ts';
export type { UpstreamHttpOptions } from './http.ts';

import type { ReportEntry } from '../sources/report/models.ts';
import type { SalesEntry } from '../sources/sales/models.ts';

/** Every entry of one ledger date on one account, and whether upstream has closed the date. */
export interface AccountDay {
  date: string;
  /** False while upstream answers `tryLater`: entries can still arrive. */
  isClosed: boolean;
  entries: readonly ReportEntry[];
}

/** Every Sales API entry (capture or refund) of one ledger date. */
export interface SalesDate {
  date: string;
  entries: readonly SalesEntry[];
}

/**
 * How bookkeeping reads one ledger: whole dates, one account at a time. The gateway reads
 * through the request's loaders (one fetch per ledger, account and date); tests read the
 * emulator directly. Bookkeeping never reads anything else, so its cost is the dates it asks for.
 */
export interface LedgerReader {
  readonly ledgerId: string;
  funds(date: string): Promise<AccountDay>;
  fees(date: string): Promise<AccountDay>;
  sales(date: string): Promise<SalesDate>;
}

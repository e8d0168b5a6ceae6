import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.ts';
import type { Upstream } from '../sources/index.ts';
import { followFeed, type FollowOutcome } from './follow.ts';
import { feeds, isReportFeed, type Feed } from './keys.ts';
import { defaultRetryPolicy, type RetryPolicy } from './retry.ts';
import { reportFeedSource, salesFeedSource, type FeedSource } from './sources.ts';
import type { SyncProgress } from './progress.ts';
import type { FeedState, Step } from './state.ts';
import type { MirrorStore } from './store.ts';

/**
 * One sync pass: every granted ledger's funds, fees and Sales feeds, each followed from its
 * stored cursor to its end, a few at a time. A feed that fails is logged and left where it
 * stopped; the others go on, and the next pass takes it up again.
 */

export interface SyncOptions {
  upstream: Upstream;
  store: MirrorStore;
  logger: Logger;
  /** Only these ledgers (when granted); null for every granted ledger. */
  ledgerIds: string[] | null;
  /** Feeds followed at the same time. */
  concurrency: number;
  salesPageSize: number;
  /** A feed at its end is polled again no sooner than this (upstream asks for at least a second). */
  minPollIntervalMs: number;
  retry?: RetryPolicy;
  clock?: () => number;
  /** Shown what each feed is doing (`npm run sync`); nothing is when left out. */
  progress?: SyncProgress | null;
  /** Told of each page this process stored (live updates publish from here); nothing when left out. */
  onStored?: (ledgerId: string, feed: Feed, before: FeedState, step: Step) => void;
}

export interface FeedReport {
  ledgerId: string;
  feed: Feed;
  outcome: FollowOutcome | 'failed';
  pages: number;
  entries: number;
  error?: string;
}

export interface PassReport {
  ledgers: number;
  /** Ledgers whose grant was withdrawn since the last pass; their mirror is gone. */
  withdrawn: string[];
  feeds: FeedReport[];
  entries: number;
  failed: number;
  ms: number;
}

function sourceOf(options: SyncOptions, ledgerId: string, feed: Feed): FeedSource {
  const { report, sales } = options.upstream;
  return isReportFeed(feed) ? reportFeedSource(report, ledgerId, feed) : salesFeedSource(sales, ledgerId, options.salesPageSize);
}

async function syncFeed(options: SyncOptions, ledgerId: string, feed: Feed, signal?: AbortSignal): Promise<FeedReport> {
  const report = await followOne(options, ledgerId, feed, signal);
  options.progress?.done(ledgerId, feed, report.outcome);
  return report;
}

async function followOne(options: SyncOptions, ledgerId: string, feed: Feed, signal?: AbortSignal): Promise<FeedReport> {
  const { progress } = options;
  try {
    const result = await followFeed({
      store: options.store,
      keys: options.store.keys(options.upstream.fingerprint, ledgerId, feed),
      source: sourceOf(options, ledgerId, feed),
      clock: options.clock ?? Date.now,
      minPollIntervalMs: options.minPollIntervalMs,
      retry: options.retry ?? defaultRetryPolicy,
      ...(signal === undefined ? {} : { signal }),
      onOutdated: () =>
        options.logger.warn('feed mirror written by an older version of the sync in a layout this one does not read: removed, mirroring the feed again from its start', {
          ledgerId,
          feed,
        }),
      ...(options.onStored === undefined ? {} : { onStored: (before: FeedState, step: Step) => options.onStored?.(ledgerId, feed, before, step) }),
      ...(progress == null ? {} : { onPage: (entries: number, lastTime: string | null) => progress.page(ledgerId, feed, entries, lastTime) }),
    });
    options.logger.debug('feed synced', { ledgerId, feed, ...result });
    return { ledgerId, feed, ...result };
  } catch (error: unknown) {
    options.logger.warn('feed sync failed; the next pass continues where it stopped', { ledgerId, feed, error });
    return { ledgerId, feed, outcome: 'failed', pages: 0, entries: 0, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Runs `work` over `items`, at most `limit` at a time, answers in item order. */
async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const index = nextIndex++;
      const item = items[index];
      if (item !== undefined) results[index] = await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export async function syncPass(options: SyncOptions, signal?: AbortSignal): Promise<PassReport> {
  const clock = options.clock ?? Date.now;
  const startedAt = clock();
  const granted = await options.upstream.report.ledgers();
  const grantedIds = granted.map((ledger) => ledger.ledgerId);
  const withdrawn = await options.store.recordGrants(options.upstream.fingerprint, grantedIds);
  if (withdrawn.length > 0) options.logger.info('grants withdrawn: mirror of these ledgers removed', { ledgerIds: withdrawn });
  const wanted = options.ledgerIds === null ? null : new Set(options.ledgerIds);
  const ledgerIds = grantedIds.filter((ledgerId) => wanted === null || wanted.has(ledgerId));
  const tasks = ledgerIds.flatMap((ledgerId) => feeds.map((feed) => ({ ledgerId, feed })));
  const reports = await inPool(tasks, options.concurrency, ({ ledgerId, feed }) =>
    signal?.aborted
      ? Promise.resolve<FeedReport>({ ledgerId, feed, outcome: 'stopped', pages: 0, entries: 0 })
      : syncFeed(options, ledgerId, feed, signal),
  );
  const report: PassReport = {
    ledgers: ledgerIds.length,
    withdrawn,
    feeds: reports,
    entries: reports.reduce((sum, feed) => sum + feed.entries, 0),
    failed: reports.filter((feed) => feed.outcome === 'failed').length,
    ms: clock() - startedAt,
  };
  // A quiet pass (nothing new, nothing failed) is the common case of a running sync: not worth a line at info.
  const log = report.entries > 0 || report.failed > 0 ? options.logger.info : options.logger.debug;
  log('sync pass done', { ledgers: report.ledgers, entries: report.entries, failed: report.failed, ms: report.ms });
  return report;
}

export interface SyncLoop {
  /** Ends the pass in progress after the page being stored, and waits for it. */
  stop(): Promise<void>;
}

/** Passes one after another, `intervalMs` apart, until stopped. A failed pass is logged and the loop goes on. */
export function startSyncLoop(options: SyncOptions, intervalMs: number): SyncLoop {
  const controller = new AbortController();
  const { signal } = controller;
  const running = (async () => {
    while (!signal.aborted) {
      await syncPass(options, signal).catch((error: unknown) => options.logger.warn('sync pass failed', { error }));
      await sleep(intervalMs, undefined, { signal }).catch(() => {});
    }
  })();
  return {
    stop: async () => {
      controller.abort();
      await running;
    },
  };
}

import { reportEntry } from '../data/report-json.ts';
import type { Row, Topic } from '../data/ledger-rows.ts';
import type { LedgerSpec } from '../data/catalog.ts';
import { jsonBuffer, noSuchLedger, type Reply } from '../http/reply.ts';
import { closedPage, countUntil, grantedLedger, type ApiRequest, type EmulatorContext } from './context.ts';
import { reportFeedCursor, reportDateCursor } from './cursors.ts';
import { walkFeed } from './feed-walk.ts';
import { cursorParam, gdprParam, ledgerDateParam, topicParam } from './params.ts';

/**
 * Report API v2: one ledger date (`hasMore` always, `cursor` only while there is more, `tryLater`
 * while the date is open) and the feed (no `hasMore`, a cursor that is never empty, the same
 * cursor with `tryLater` at the end).
 */

const arrivalOf = (row: Row) => row.arrival;

function serialise(context: EmulatorContext, ledger: LedgerSpec, rows: ReadonlyArray<{ item: Row; day: number }>, gdpr: boolean, envelope: Record<string, unknown>): Buffer {
  const { world } = context;
  const items = rows.map(({ item, day }) => reportEntry(item, ledger, day, world.ids, world.seed, gdpr));
  return Buffer.from(JSON.stringify({ ...envelope, items }));
}

function pageSizeHeader(context: EmulatorContext): Record<string, string> {
  return { 'Vipps-Feed-Page-Size': String(context.reportPageSize) };
}

export function reportDateRoute(context: EmulatorContext, request: ApiRequest): Reply {
  const topic = topicParam(request);
  if (!topic.ok) return topic.reply;
  const date = ledgerDateParam(request);
  if (!date.ok) return date.reply;
  const gdpr = gdprParam(request);
  if (!gdpr.ok) return gdpr.reply;
  const cursor = cursorParam(request, reportDateCursor.decode);
  if (!cursor.ok) return cursor.reply;
  const ledger = grantedLedger(context, request);
  if (!ledger) return noSuchLedger();
  const { world, reportPageSize } = context;
  const now = context.clock.now();
  const day = date.value;
  const current = world.currentDay(ledger, now);
  const headers = pageSizeHeader(context);
  if (day > current) return jsonBuffer(Buffer.from(JSON.stringify({ hasMore: false, tryLater: true, items: [] })), headers);
  const requested = cursor.value ?? 0;
  // A past date stays open until its settlement period is settled; its entries are all there.
  const closed = day < current && world.isClosed(ledger, day, now);
  // The date's rows are taken inside the build, so a kept page is served even after its day left the world's caches.
  const build = () => {
    const rows = day < world.firstDay(ledger) ? [] : world.reportDay(ledger, day)[topic.value];
    const visible = day < current ? rows.length : countUntil(rows, arrivalOf, now);
    const offset = Math.min(requested, visible);
    const end = Math.min(offset + reportPageSize, visible);
    const hasMore = end < visible;
    const envelope = { ...(hasMore ? { cursor: reportDateCursor.encode(end) } : {}), hasMore, tryLater: !closed };
    // Whether the date is closed follows from the current date, which the key names: any past date's page is kept.
    return { body: serialise(context, ledger, rows.slice(offset, end).map((item) => ({ item, day })), gdpr.value, envelope), closed: day < current };
  };
  const key = `report|${ledger.ledgerId}|${topic.value}|${day}|${requested}|${gdpr.value}|${reportPageSize}|${current}`;
  return jsonBuffer(closedPage(context, key, build), headers);
}

export function reportFeedRoute(context: EmulatorContext, request: ApiRequest): Reply {
  const topic = topicParam(request);
  if (!topic.ok) return topic.reply;
  const gdpr = gdprParam(request);
  if (!gdpr.ok) return gdpr.reply;
  const cursor = cursorParam(request, reportFeedCursor.decode);
  if (!cursor.ok) return cursor.reply;
  const ledger = grantedLedger(context, request);
  if (!ledger) return noSuchLedger();
  const lag = context.faults.feedLagMs(request.template);
  const now = context.clock.now() - lag;
  const first = context.world.firstDay(ledger);
  const from = cursor.value ?? { day: first, offset: 0 };
  const current = context.world.currentDay(ledger, now);
  const key = `report|${ledger.ledgerId}|${topic.value}|feed|${from.day}|${from.offset}|${gdpr.value}|${context.reportPageSize}|${current}`;
  const build = () => {
    const start = from.day < first ? { day: first, offset: 0 } : from;
    const walk = walkFeed(start, current, context.reportPageSize, (day) => {
      const rows = context.world.reportDay(ledger, day)[topic.value];
      return day < current ? rows : rows.slice(0, countUntil(rows, arrivalOf, now));
    });
    // At the end nothing moves: the caller gets back exactly the cursor it sent.
    const nextCursor = walk.taken.length === 0 ? (request.query.get('cursor') || reportFeedCursor.encode(from)) : reportFeedCursor.encode(walk.end);
    const body = serialise(context, ledger, walk.taken, gdpr.value, { cursor: nextCursor, tryLater: walk.atEnd });
    // A full page that ends before the current date holds closed dates only.
    return { body, closed: !walk.atEnd && walk.end.day < current };
  };
  return jsonBuffer(closedPage(context, key, build), pageSizeHeader(context));
}

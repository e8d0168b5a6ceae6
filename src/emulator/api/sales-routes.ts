import { saleMovementOf } from '../data/identifiers.ts';
import { salesEntry } from '../data/sales-json.ts';
import type { LedgerSpec } from '../data/catalog.ts';
import type { SalesItem } from '../data/world.ts';
import { badRequest, json, jsonBuffer, noSuchLedger, type Reply } from '../http/reply.ts';
import { closedPage, countUntil, grantedLedger, type ApiRequest, type EmulatorContext } from './context.ts';
import { salesCursor, type Position } from './cursors.ts';
import { walkFeed } from './feed-walk.ts';
import { cursorParam, ledgerDateParam, pageSizeParam } from './params.ts';

/**
 * Sales API v1: the feed, one date, and the two lookups. A Sales date has no `tryLater`; the
 * open date simply holds the sales made so far. Ledgers without VM-number or mPOS sales (the
 * ePayment ledger) answer with empty lists.
 */

const timeOf = (item: SalesItem) => item.time;

function visibleItems(context: EmulatorContext, ledger: LedgerSpec, day: number, now: number): SalesItem[] {
  const { world } = context;
  const current = world.currentDay(ledger, now);
  if (day < world.firstDay(ledger) || day > current) return [];
  const items = world.salesItems(ledger, day);
  // A closed date ended before now, so all of it exists; only the open date is cut at the clock.
  return day < current ? items : items.slice(0, countUntil(items, timeOf, now));
}

function entries(context: EmulatorContext, ledger: LedgerSpec, items: SalesItem[]) {
  return items.map((item) => salesEntry(item, ledger, context.world.ids));
}

export function salesDateRoute(context: EmulatorContext, request: ApiRequest): Reply {
  const date = ledgerDateParam(request);
  if (!date.ok) return date.reply;
  const pageSize = pageSizeParam(request);
  if (!pageSize.ok) return pageSize.reply;
  const cursor = cursorParam(request, salesCursor.decode);
  if (!cursor.ok) return cursor.reply;
  if (cursor.value && cursor.value.day !== date.value) return badRequest(request.path, 'cursor', 'Cursor belongs to another ledger date');
  const ledger = grantedLedger(context, request);
  if (!ledger) return noSuchLedger();
  const now = context.clock.now();
  const day = date.value;
  const current = context.world.currentDay(ledger, now);
  const requested = cursor.value?.offset ?? 0;
  const build = () => {
    const items = visibleItems(context, ledger, day, now);
    const offset = Math.min(requested, items.length);
    const end = Math.min(offset + pageSize.value, items.length);
    const hasMore = end < items.length;
    const page = entries(context, ledger, items.slice(offset, end));
    const body = Buffer.from(JSON.stringify({ items: page, ...(hasMore ? { cursor: salesCursor.encode({ day, offset: end }) } : {}), hasMore }));
    return { body, closed: day < current };
  };
  const key = `sales|${ledger.ledgerId}|${day}|${requested}|${pageSize.value}|${current}`;
  return jsonBuffer(closedPage(context, key, build));
}

export function salesFeedRoute(context: EmulatorContext, request: ApiRequest): Reply {
  const pageSize = pageSizeParam(request);
  if (!pageSize.ok) return pageSize.reply;
  const cursor = cursorParam(request, salesCursor.decode);
  if (!cursor.ok) return cursor.reply;
  const ledger = grantedLedger(context, request);
  if (!ledger) return noSuchLedger();
  const { world } = context;
  const now = context.clock.now();
  const current = world.currentDay(ledger, now);
  const first = world.firstDay(ledger);
  const from: Position = cursor.value && cursor.value.day >= first ? cursor.value : { day: first, offset: 0 };
  const build = () => {
    const walk = walkFeed(from, current, pageSize.value, (day) => visibleItems(context, ledger, day, now));
    const nextCursor = walk.taken.length === 0 ? (request.query.get('cursor') || salesCursor.encode(from)) : salesCursor.encode(walk.end);
    const items = entries(context, ledger, walk.taken.map(({ item }) => item));
    const body = Buffer.from(JSON.stringify({ items, cursor: nextCursor, hasMore: !walk.atEnd }));
    // A full page that stops before the current date holds closed dates only.
    return { body, closed: !walk.atEnd && walk.end.day < current };
  };
  const key = `sales|${ledger.ledgerId}|feed|${from.day}|${from.offset}|${pageSize.value}|${current}`;
  return jsonBuffer(closedPage(context, key, build));
}

export function salesByPspReferenceRoute(context: EmulatorContext, request: ApiRequest): Reply {
  const ledger = grantedLedger(context, request);
  if (!ledger) return noSuchLedger();
  const position = context.world.ids.decodePspReference(request.params['pspReference'] ?? '');
  const movement = position && position.slot === ledger.slot ? saleMovementOf(position.seq) : null;
  if (!position || !movement || ledger.kind === 'epayment') return json(200, { items: [] });
  const item = lookup(context, ledger, position.day, movement.seq).find((candidate) => candidate.part === movement.part && candidate.refund === movement.refund);
  return json(200, { items: item && item.sale.paymentType !== 'CASH' ? entries(context, ledger, [item]) : [] });
}

export function salesByReferenceRoute(context: EmulatorContext, request: ApiRequest): Reply {
  const ledger = grantedLedger(context, request);
  if (!ledger) return noSuchLedger();
  const position = context.world.ids.decodeOrderReference(request.params['reference'] ?? '');
  if (!position || position.slot !== ledger.slot || ledger.kind === 'epayment') return json(200, { items: [] });
  return json(200, { items: entries(context, ledger, lookup(context, ledger, position.day, position.seq)) });
}

/** Every capture and refund of the order a sale began, as far as they exist at the clock's time. */
function lookup(context: EmulatorContext, ledger: LedgerSpec, day: number, seq: number): SalesItem[] {
  const { world } = context;
  const now = context.clock.now();
  if (day < world.firstDay(ledger) || day > world.currentDay(ledger, now)) return [];
  const sale = world.salesDay(ledger, day).sales[seq];
  if (!sale) return [];
  return world.orderItems(sale).filter((item) => item.time <= now);
}

import { z } from 'zod';
import type { Ledger } from '../../sources/report/models.ts';
import type { SalesEntry } from '../../sources/sales/models.ts';
import type { Context } from '../context.ts';
import { badInput } from '../input-errors.ts';
import { MoneyMovementShape, saleFromLookup, type SaleShape } from './shapes.ts';

/**
 * A ledger's feeds (the Report feed of each account, the Sales feed) as one Relay connection.
 * Upstream cursors point between pages; a Relay cursor points after one item. So a cursor here is
 * the upstream cursor a page was read with and how many of its items were taken, signed with the
 * credential's key and bound to its ledger and feed: it reads the same page again and skips what
 * was taken (upstream cursors are positions, so a page read again starts where it did).
 */

export const feeds = ['funds', 'fees', 'sales'] as const;
export type FeedName = (typeof feeds)[number];

export type Change = MoneyMovementShape | SaleShape;

interface Position {
  upstream: string | null;
  taken: number;
}

export interface ChangesPage {
  edges: Array<{ cursor: string; node: Change }>;
  /** Where to continue from: after the last edge, or where `after` pointed when nothing was new. */
  endCursor: string;
  /** Upstream has nothing more now: ask again later with `endCursor` (the Report feed's `tryLater`). */
  tryLater: boolean;
}

const positionModel = z.tuple([z.string(), z.enum(feeds), z.string().nullable(), z.number().int().min(0).max(1000)]);

function encode(context: Context, ledgerId: string, feed: FeedName, position: Position): string {
  return context.cursors.sign(JSON.stringify([ledgerId, feed, position.upstream, position.taken]));
}

/** The position of a cursor given out for this ledger and feed; bad input naming `after` otherwise. */
function decode(context: Context, ledgerId: string, feed: FeedName, cursor: string): Position {
  const opened = context.cursors.open(cursor);
  let parsed: z.infer<typeof positionModel> | null = null;
  try {
    parsed = opened === null ? null : positionModel.parse(JSON.parse(opened));
  } catch {
    parsed = null;
  }
  if (parsed === null || parsed[0] !== ledgerId || parsed[1] !== feed) {
    throw badInput('after', `is not a cursor of this ledger's ${feed} changes (use an \`endCursor\` or edge \`cursor\` this list returned)`);
  }
  return { upstream: parsed[2], taken: parsed[3] };
}

interface FeedRead {
  items: Change[];
  /** Upstream's cursor after the page. */
  next: string | null;
  atEnd: boolean;
}

/** One upstream page after `cursor`, through the request's loaders (so through the caller's grant and read budget). */
async function readFeed(context: Context, ledgerId: string, feed: FeedName, cursor: string | null, wanted: number): Promise<FeedRead> {
  if (feed === 'sales') {
    const page = await context.sales.feedPage.load({ ledgerId, cursor, pageSize: Math.min(1000, Math.max(1, wanted)) });
    return { items: page.items.map((entry: SalesEntry) => saleFromLookup(ledgerId, entry)), next: page.cursor ?? cursor, atEnd: !page.hasMore };
  }
  const page = await context.report.feedPage.load({ ledgerId, topic: feed, cursor });
  return { items: page.items.map((entry) => new MoneyMovementShape(ledgerId, feed, entry)), next: page.cursor, atEnd: page.tryLater };
}

export async function readChanges(context: Context, ledger: Ledger, feed: FeedName, after: string | null, first: number): Promise<ChangesPage> {
  const { ledgerId } = ledger;
  let position: Position = after === null ? { upstream: null, taken: 0 } : decode(context, ledgerId, feed, after);
  const edges: ChangesPage['edges'] = [];
  let tryLater = false;
  while (edges.length < first) {
    const page = await readFeed(context, ledgerId, feed, position.upstream, position.taken + first - edges.length);
    // Items that come back with the very cursor they were asked with would come again: upstream
    // has not moved past them yet (the end of a feed). They are taken once it has.
    const moved = page.next !== null && page.next !== position.upstream;
    const fresh = moved ? page.items.slice(position.taken) : [];
    const taken = fresh.slice(0, first - edges.length);
    taken.forEach((node, index) => edges.push({ node, cursor: encode(context, ledgerId, feed, { ...position, taken: position.taken + index + 1 }) }));
    if (taken.length < fresh.length) break;
    if (moved) {
      position = { upstream: page.next, taken: 0 };
      // The last edge of a page read to its end points past the page: the next read starts on the next page.
      const last = edges.at(-1);
      if (taken.length > 0 && last !== undefined) last.cursor = encode(context, ledgerId, feed, position);
    }
    if (page.atEnd || !moved) {
      tryLater = true;
      break;
    }
  }
  return { edges, endCursor: edges.at(-1)?.cursor ?? encode(context, ledgerId, feed, position), tryLater };
}

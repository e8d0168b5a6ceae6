import { z } from 'zod';

/**
 * How far one feed has been mirrored, and the pure step from one state to the next. The state is
 * stored in the same atomic step as the entries of the page that produced it, so after a crash
 * the stored cursor always points just past the last stored entry.
 */

/**
 * The layout of the mirror's entries and indexes (chunks.ts, scripts.ts). A feed whose state
 * names another (or none: the layout before chunks) is mirrored again from its start.
 */
export const mirrorFormat = 2;

export const feedStateModel = z.object({
  format: z.literal(mirrorFormat),
  /** Where upstream continues; null before the first page. */
  cursor: z.string().nullable(),
  /** Entries stored so far, which is also the position of the next one. */
  position: z.number().int().nonnegative(),
  /**
   * The newest ledger date stored (Report feeds). The feed runs in ledger-date order, so every
   * earlier date is complete in the mirror; this one and later ones may still grow.
   */
  lastDate: z.string().nullable(),
  /** When upstream last said the feed has nothing more (tryLater); null before the first walk ended. */
  endReachedAt: z.number().int().nullable(),
  /** Whether the last page read was the end of the feed. */
  atEnd: z.boolean(),
});
export type FeedState = z.infer<typeof feedStateModel>;

export const initialFeedState: FeedState = { format: mirrorFormat, cursor: null, position: 0, lastDate: null, endReachedAt: null, atEnd: false };

/** One upstream entry as the mirror keeps it. */
export interface MirroredEntry {
  json: string;
  /** Null on Sales entries, which carry no ledger date. */
  ledgerDate: string | null;
  pspReference: string | null;
  reference: string | null;
}

/** A feed page, whichever API it came from. */
export interface FeedPage {
  entries: MirroredEntry[];
  /** Where to continue; always present on the Report feed, and on Sales pages with entries. */
  cursor: string | null;
  /** Upstream has nothing more right now (Report `tryLater`, Sales `hasMore: false`). */
  atEnd: boolean;
  /** When the page's last entry happened (ISO), for showing how far the feed has come. */
  lastTime?: string | null;
}

export interface PositionedEntry extends MirroredEntry {
  position: number;
}

export interface Step {
  state: FeedState;
  entries: PositionedEntry[];
}

export class FeedPagingError extends Error {
  override readonly name = 'FeedPagingError';
}

/**
 * The state after `page`, read with `state.cursor`, and its entries with their positions. The
 * positions follow from the state the page was read from, so the same page read again gets the
 * same positions and overwrites itself rather than adding copies.
 */
export function advance(state: FeedState, page: FeedPage, now: number): Step {
  const moved = page.cursor !== null && page.cursor !== state.cursor;
  if (page.cursor === null && page.entries.length > 0) {
    // Entries without a way past them would be read again on the next poll.
    throw new FeedPagingError('upstream sent feed entries without a cursor');
  }
  // Entries that come with the cursor they were asked with would come again on the next poll
  // with that cursor: they are taken then, once the cursor moves past them.
  const taken = moved ? page.entries : [];
  const entries = taken.map((entry, index) => ({ ...entry, position: state.position + index }));
  let lastDate = state.lastDate;
  for (const entry of entries) {
    if (entry.ledgerDate !== null && (lastDate === null || entry.ledgerDate > lastDate)) lastDate = entry.ledgerDate;
  }
  return {
    entries,
    state: {
      format: mirrorFormat,
      cursor: moved ? page.cursor : state.cursor,
      position: state.position + entries.length,
      lastDate,
      endReachedAt: page.atEnd ? now : state.endReachedAt,
      atEnd: page.atEnd,
    },
  };
}

/** The stored form: compared byte for byte when the next page is stored. */
export function encodeState(state: FeedState): string {
  return JSON.stringify(state);
}

/** Whether a stored state was written in another layout than this code's (`mirrorFormat`). */
export function isOutdated(raw: string | null): boolean {
  if (raw === null) return false;
  try {
    const stored: unknown = JSON.parse(raw);
    return typeof stored === 'object' && stored !== null && (stored as { format?: unknown }).format !== mirrorFormat;
  } catch {
    // Not JSON at all: not a layout but a broken state, which decodeState reports.
    return false;
  }
}

export function decodeState(raw: string | null): FeedState {
  if (raw === null) return initialFeedState;
  return feedStateModel.parse(JSON.parse(raw));
}

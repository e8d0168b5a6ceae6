import { z } from 'zod';

/**
 * Where a subscriber is in each ledger's events: the last date told per ledger. Handed out with
 * every event as an opaque string and taken back as `since`. It holds only ledger ids and dates,
 * which mean nothing without the grant that is checked again at every subscribe: it needs no
 * signature.
 */
export type LiveCursor = Map<string, string>;

const cursorModel = z.record(z.string().min(1), z.iso.date());

export function encodeCursor(cursor: LiveCursor): string {
  return Buffer.from(JSON.stringify(Object.fromEntries([...cursor].sort()))).toString('base64url');
}

/** The cursor, or null when the text is not one. */
export function decodeCursor(text: string): LiveCursor | null {
  try {
    const parsed = cursorModel.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? new Map(Object.entries(parsed.data)) : null;
  } catch {
    return null;
  }
}

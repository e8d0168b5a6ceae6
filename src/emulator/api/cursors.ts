import { z } from 'zod';
import { dateString, dayNumber, isCalendarDate } from '../data/calendar.ts';

/**
 * Cursors are positions, never sessions: each one says where in the data it points, so it keeps
 * working after the emulator restarts. Shapes follow what upstream's examples decode to.
 */

export interface Position {
  day: number;
  offset: number;
}

/** Base64 as clients send it; a `+` that became a space in a hand-built URL is forgiven. */
function strictBase64(text: string): Buffer | null {
  const normalised = text.replace(/ /g, '+');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(normalised) || normalised.length === 0) return null;
  const bytes = Buffer.from(normalised, 'base64');
  return bytes.toString('base64') === normalised ? bytes : null;
}

/** Report date pages: the offset of the next entry as text, e.g. `Mw==` for 3. */
export const reportDateCursor = {
  encode: (offset: number): string => Buffer.from(String(offset)).toString('base64'),
  decode(text: string): number | null {
    const bytes = strictBase64(text);
    const value = bytes?.toString('utf8') ?? '';
    return /^(0|[1-9]\d{0,8})$/.test(value) ? Number(value) : null;
  },
};

const feedCursorModel = z.object({
  ledgerDate: z.string().refine(isCalendarDate),
  offset: z.number().int().min(0).max(10_000_000),
});

/** Report feed: a ledger date and the offset within it, as base64 JSON. */
export const reportFeedCursor = {
  encode: (position: Position): string =>
    Buffer.from(JSON.stringify({ ledgerDate: dateString(position.day), offset: position.offset })).toString('base64'),
  decode(text: string): Position | null {
    const bytes = strictBase64(text);
    if (!bytes) return null;
    try {
      const parsed = feedCursorModel.parse(JSON.parse(bytes.toString('utf8')));
      return { day: dayNumber(parsed.ledgerDate), offset: parsed.offset };
    } catch {
      return null;
    }
  },
};

const SALES_EPOCH = dayNumber('2020-01-01');
const OFFSET_BITS = 2 ** 24;

/** Sales API: a little-endian int64 sequence position, like upstream's `2ScAAAAAAAA=`. */
export const salesCursor = {
  encode(position: Position): string {
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64LE(BigInt(position.day - SALES_EPOCH) * BigInt(OFFSET_BITS) + BigInt(position.offset));
    return bytes.toString('base64');
  },
  decode(text: string): Position | null {
    const bytes = strictBase64(text);
    if (!bytes || bytes.length !== 8) return null;
    const value = bytes.readBigUInt64LE();
    const day = Number(value / BigInt(OFFSET_BITS)) + SALES_EPOCH;
    if (day > SALES_EPOCH + 40_000) return null;
    return { day, offset: Number(value % BigInt(OFFSET_BITS)) };
  },
};

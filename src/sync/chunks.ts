import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { PositionedEntry } from './state.ts';

/**
 * How the mirror keeps entries: not one hash field per entry but one per chunk of consecutive
 * entries, their JSON lines compressed together. An entry's JSON repeats its neighbours' field
 * names and most of their values, so compression keeps about a seventh of it, and one field per
 * chunk saves Redis's own bookkeeping of a field per entry (which cost more than the JSON
 * itself). JSON never holds a raw line break, so lines need no escaping.
 *
 * Brotli at quality 1: on these chunks it packs as tightly as deflate at level 1 (about 37 bytes
 * an entry) in a third of the time or less, which is most of what compressing costs the sync.
 */

/** Entries per chunk at most: small enough that a lookup of one Sales entry decompresses a few dozen kilobytes. */
export const chunkLimit = 128;

/** A run of entries stored under the position of its first one. */
export interface Chunk {
  first: number;
  /** The ledger date all of them share (Report feeds); null on Sales. */
  ledgerDate: string | null;
  entries: PositionedEntry[];
}

/**
 * Cuts a page's entries (consecutive positions) into chunks: a new one at each change of ledger
 * date, so that a date's entries are whole chunks, and after `chunkLimit` entries.
 */
export function chunksOf(entries: readonly PositionedEntry[]): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Chunk | null = null;
  for (const entry of entries) {
    if (current === null || current.ledgerDate !== entry.ledgerDate || current.entries.length >= chunkLimit) {
      current = { first: entry.position, ledgerDate: entry.ledgerDate, entries: [] };
      chunks.push(current);
    }
    current.entries.push(entry);
  }
  return chunks;
}

/** Quality 1; a window of 256 KiB holds a whole chunk, and saves allocating the default 4 MiB for each. */
const brotliParams = { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_LGWIN]: 18 };

export function packChunk(chunk: Chunk): Buffer {
  return brotliCompressSync(chunk.entries.map((entry) => entry.json).join('\n'), { params: brotliParams });
}

/** The JSON lines of a stored chunk, byte for byte as they came from upstream's parsed entries. */
export function unpackChunk(packed: Buffer): string[] {
  return brotliDecompressSync(packed).toString('utf8').split('\n');
}

/** A Sales entry's token in the pspReference index: its chunk and its place in it (`"1024.17"`). */
export function salesToken(first: number, index: number): string {
  return `${first}.${index}`;
}

export function parseSalesToken(token: string): { chunk: string; index: number } | null {
  const [chunk, index] = token.split('.');
  if (chunk === undefined || index === undefined || chunk === '' || !Number.isInteger(Number(index))) return null;
  return { chunk, index: Number(index) };
}

import { describe, expect, it } from 'vitest';
import { datesFrom } from '../../src/kernel/calendar.ts';
import { planSearch } from '../../src/schema/joins/search-plan.ts';
import { chunkLimit, chunksOf, packChunk, unpackChunk } from '../../src/sync/chunks.ts';
import { advance, FeedPagingError, initialFeedState, mirrorFormat, type FeedPage, type MirroredEntry } from '../../src/sync/state.ts';

/** The pure parts of the mirror: positions from cursor state, and which dates a join reads. */

const entry = (ledgerDate: string | null, pspReference: string): MirroredEntry => ({
  json: JSON.stringify({ pspReference, ledgerDate }),
  ledgerDate,
  pspReference,
  reference: `order-${pspReference}`,
});

const page = (cursor: string | null, atEnd: boolean, ...entries: MirroredEntry[]): FeedPage => ({ cursor, atEnd, entries });

describe('advancing a feed state by a page', () => {
  it('numbers entries from the position the page was read at, so a page read again gets the same positions', () => {
    const first = advance(initialFeedState, page('c1', false, entry('2026-05-01', 'a'), entry('2026-05-01', 'b')), 1);
    const second = advance(first.state, page('c2', true, entry('2026-05-02', 'c')), 2);
    expect(first.entries.map((item) => item.position)).toEqual([0, 1]);
    expect(second.entries.map((item) => item.position)).toEqual([2]);
    expect(second.state).toEqual({ format: mirrorFormat, cursor: 'c2', position: 3, lastDate: '2026-05-02', endReachedAt: 2, atEnd: true });
    expect(advance(first.state, page('c2', true, entry('2026-05-02', 'c')), 9).entries).toEqual(second.entries);
  });

  it('takes nothing from a page that came back with the cursor it was asked with', () => {
    const at = advance(initialFeedState, page('c1', false, entry('2026-05-01', 'a')), 1).state;
    const again = advance(at, page('c1', true, entry('2026-05-01', 'a')), 5);
    expect(again.entries).toEqual([]);
    expect(again.state).toEqual({ ...at, atEnd: true, endReachedAt: 5 });
  });

  it('refuses entries that come without a cursor to continue from', () => {
    expect(() => advance(initialFeedState, page(null, true, entry(null, 'a')), 1)).toThrow(FeedPagingError);
  });

  it('keeps the newest ledger date when an older one comes late', () => {
    const step = advance(initialFeedState, page('c1', false, entry('2026-05-02', 'a'), entry('2026-05-01', 'b')), 1);
    expect(step.state.lastDate).toBe('2026-05-02');
  });
});

describe('the dates a join reads', () => {
  const booking = { kind: 'booking' } as const;
  const month = { kind: 'history', days: 31 } as const;
  const newest = '2026-06-20';
  const sold = '2026-05-10';

  it('are the window from the sale without a mirror, saying how far that reaches', () => {
    expect(planSearch(null, sold, sold, booking, newest)).toEqual({ dates: [sold, '2026-05-11'], checkedThrough: '2026-05-11', complete: false, viaMirror: false });
    expect(planSearch(null, '2026-06-19', '2026-06-19', month, newest)).toEqual({ dates: ['2026-06-19', newest], checkedThrough: newest, complete: true, viaMirror: false });
    expect(planSearch(null, sold, '2026-05-12', month, newest).dates).toEqual(datesFrom(sold, '2026-06-11'));
  });

  it('are where the mirror has the entries, at any distance, when it has read past the window', () => {
    const mirrored = { dates: [sold, '2026-06-02'], horizon: '2026-06-10' };
    expect(planSearch(mirrored, sold, sold, booking, newest)).toEqual({ dates: [sold, '2026-06-02'], checkedThrough: '2026-06-09', complete: false, viaMirror: true });
    expect(planSearch({ dates: [], horizon: '2026-06-10' }, sold, sold, booking, newest).dates).toEqual([]);
  });

  it('add the dates the mirror has not read completely', () => {
    expect(planSearch({ dates: [sold], horizon: '2026-05-11' }, sold, sold, booking, newest).dates).toEqual([sold, '2026-05-11']);
    expect(planSearch({ dates: [], horizon: null }, sold, sold, booking, newest).dates).toEqual([sold, '2026-05-11']);
  });

  it("read an old sale's history from the mirror's horizon on, complete with the dates it has not read", () => {
    const mirrored = { dates: [sold, '2026-06-02'], horizon: '2026-06-19' };
    expect(planSearch(mirrored, sold, sold, month, newest)).toEqual({ dates: [sold, '2026-06-02', '2026-06-19', newest], checkedThrough: newest, complete: true, viaMirror: true });
  });
});

describe('chunks', () => {
  it('cut a page at each new ledger date and after the limit, and give back every JSON line as it was', () => {
    const dates = ['2026-05-01', '2026-05-01', '2026-05-02', ...Array.from({ length: chunkLimit + 1 }, () => '2026-05-03')];
    const entries = dates.map((ledgerDate, index) => ({ ...entry(ledgerDate, `p${index}`), position: 40 + index }));
    const chunks = chunksOf(entries);
    expect(chunks.map((chunk) => [chunk.first, chunk.ledgerDate, chunk.entries.length])).toEqual([
      [40, '2026-05-01', 2],
      [42, '2026-05-02', 1],
      [43, '2026-05-03', chunkLimit],
      [43 + chunkLimit, '2026-05-03', 1],
    ]);
    expect(chunks.flatMap((chunk) => unpackChunk(packChunk(chunk)))).toEqual(entries.map((item) => item.json));
  });
});

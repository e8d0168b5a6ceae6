import type { Position } from './cursors.ts';

/** One feed page: what was taken (with the date each came from) and where the next page starts. */
export interface FeedWalk<T> {
  taken: Array<{ item: T; day: number }>;
  end: Position;
  /** Everything that exists at the clock's time was read: there is no more for now. */
  atEnd: boolean;
}

/**
 * Walks dates forward from a position up to the current date, taking what exists on each, up to
 * one page. A full page that ends exactly at the end of a closed date stops there rather than at
 * the next date's start, so both feeds write the same position for the same walk.
 */
export function walkFeed<T>(from: Position, current: number, pageSize: number, visible: (day: number) => readonly T[]): FeedWalk<T> {
  const taken: FeedWalk<T>['taken'] = [];
  let { day, offset } = from;
  for (;;) {
    if (day > current) return { taken, end: { day, offset }, atEnd: true };
    const items = visible(day);
    while (offset < items.length && taken.length < pageSize) {
      const item = items[offset];
      if (item !== undefined) taken.push({ item, day });
      offset += 1;
    }
    if (offset < items.length) return { taken, end: { day, offset }, atEnd: false };
    if (day === current) return { taken, end: { day, offset }, atEnd: true };
    if (taken.length === pageSize) return { taken, end: { day, offset }, atEnd: false };
    day += 1;
    offset = 0;
  }
}

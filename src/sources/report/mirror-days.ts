import DataLoader from 'dataloader';
import { compositeKey, groupBy, type ReadGate } from '../batching.ts';
import type { ReportClient } from './client.ts';
import { indexDay, type DateKey, type IndexedReportDay } from './loaders.ts';

/**
 * Whole Report dates from the feed mirror, for the views over long ranges (a VAT period, a
 * year's journal): one Redis round trip per ledger and account for every date a request asks
 * for, and no upstream call. A date the mirror does not hold whole (not mirrored yet, the open
 * date, Redis down) answers null, and the caller reads it from the date endpoint instead. Only
 * ledgers the caller sees are asked for; the rest answer null and go through the gate upstream,
 * which refuses them.
 */
export function createMirrorDayLoader(client: ReportClient, gate: ReadGate): DataLoader<DateKey, IndexedReportDay | null, string> {
  return new DataLoader<DateKey, IndexedReportDay | null, string>(
    async (keys) => {
      const reportDates = client.mirror?.reportDates?.bind(client.mirror);
      if (reportDates === undefined) return keys.map(() => null);
      const answers = new Map<string, IndexedReportDay>();
      const groups = groupBy(keys, (key) => (gate.sees(key.ledgerId) ? compositeKey(key.ledgerId, key.topic) : null));
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const [first] = group;
          if (first === undefined) return;
          const held = await reportDates(first.ledgerId, first.topic, group.map((key) => key.date));
          for (const [date, entries] of held ?? []) {
            const day = indexDay({ ledgerId: first.ledgerId, topic: first.topic, date, isClosed: true, entries });
            answers.set(compositeKey(first.ledgerId, first.topic, date), day);
          }
        }),
      );
      return keys.map((key) => answers.get(compositeKey(key.ledgerId, key.topic, key.date)) ?? null);
    },
    { cacheKeyFn: (key) => compositeKey(key.ledgerId, key.topic, key.date) },
  );
}

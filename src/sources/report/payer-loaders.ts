import DataLoader from 'dataloader';
import { compositeKey, groupBy, settleAdmitted, type ReadGate } from '../batching.ts';
import { reportRoutes } from './client.ts';
import type { PayerDay, PayerEntry, PayerReader } from './payers.ts';

export interface PayerDateKey {
  ledgerId: string;
  date: string;
}

export interface IndexedPayerDay extends PayerDay {
  byPspReference: ReadonlyMap<string, readonly PayerEntry[]>;
}

/**
 * One read of a funds date with payers per distinct (ledger, date) of a request, through the same
 * gate as every other read (grant, then budget; a read of its own, charged apart). Built only for
 * a caller whose roles allow personal data: for any other there is no loader to reach it by.
 */
export function createPayerLoader(payers: PayerReader, gate: ReadGate): DataLoader<PayerDateKey, IndexedPayerDay, string> {
  const cacheKeyFn = (key: PayerDateKey) => compositeKey(key.ledgerId, 'payers', key.date);
  return new DataLoader<PayerDateKey, IndexedPayerDay, string>(
    (keys) =>
      settleAdmitted(keys, gate, reportRoutes.date, cacheKeyFn, async (key) => {
        const day = await payers.forDate(key.ledgerId, key.date);
        return { ...day, byPspReference: groupBy(day.entries, (entry) => entry.pspReference) };
      }),
    { cacheKeyFn },
  );
}

import { nextPayoutFrom, payoutAbortWindowDays, type Payout } from '../../bookkeeping/payouts.ts';
import type { LedgerReader } from '../../bookkeeping/reader.ts';
import { addDays } from '../../kernel/calendar.ts';
import { entryOf } from '../../kernel/memo.ts';
import { movementKindOf } from '../../kernel/movement-kinds.ts';
import type { ReportEntry } from '../../sources/report/models.ts';
import type { Context } from '../context.ts';
import { accountHistory, newestDateOf } from './history.ts';

export type PayoutStatusValue = 'SCHEDULED' | 'PAID' | 'ABORTED' | 'REPAID';

export interface PayoutFate {
  status: PayoutStatusValue;
  /** The `payout-aborted` entry that brought the money back; null unless aborted. */
  abort: ReportEntry | null;
  /** The later payout that paid the aborted money again; null unless repaid. */
  repaidBy: Payout | null;
}

/**
 * What became of a scheduled payout. Upstream has no payout status: scheduled is not paid, and a
 * payout that could not run comes back as `payout-aborted` with its pspReference, the date after.
 * Its entries are searched for like a sale's (the feed mirror at any distance, else the dates
 * after it), and a payout whose abort window has passed without one is taken as paid.
 */
async function fateOf(context: Context, reader: LedgerReader, payout: Payout, owner: object): Promise<PayoutFate> {
  const subject = { ledgerId: payout.ledgerId, from: payout.date, to: payout.date, key: { pspReference: payout.payoutId } };
  const [funds, newest] = await Promise.all([
    accountHistory(context, owner, subject, 'funds', { kind: 'history', days: payoutAbortWindowDays + 1 }),
    newestDateOf(context, payout.ledgerId),
  ]);
  const abort = funds.movements.find((movement) => movementKindOf(movement.entry.entryType) === 'PAYOUT_ABORTED')?.entry ?? null;
  if (abort !== null) {
    // The money is back on the ledger: it leaves again with the next payout scheduled from that date on.
    const repaidBy = await nextPayoutFrom(reader, abort.ledgerDate, newest);
    return { status: repaidBy === null ? 'ABORTED' : 'REPAID', abort, repaidBy };
  }
  const windowEnd = addDays(payout.date, payoutAbortWindowDays);
  const { checkedThrough } = funds.plan;
  const pastAborting = windowEnd < newest && checkedThrough !== null && checkedThrough >= windowEnd;
  return { status: pastAborting ? 'PAID' : 'SCHEDULED', abort: null, repaidBy: null };
}

const fates = new WeakMap<object, Promise<PayoutFate>>();

/** The fate of the payout `owner` stands for, worked out once per request. */
export function payoutFate(context: Context, reader: LedgerReader, payout: Payout, owner: object): Promise<PayoutFate> {
  return entryOf(fates, owner, () => fateOf(context, reader, payout, owner));
}

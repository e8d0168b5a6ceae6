import { movementKindOf, type MovementKind } from '../kernel/movement-kinds.ts';
import type { ReportEntry, Topic } from '../sources/report/models.ts';
import { addToTally, emptyTally, type Tally } from '../kernel/exact.ts';
import { entryOf } from '../kernel/memo.ts';
import type { AccountDay } from './reader.ts';

/** Every entry of one raw entry type on one account. */
export interface MovementGroup extends Tally {
  topic: Topic;
  entryType: string;
  kind: MovementKind;
}

/**
 * The money movements of some ledger dates, summed exactly. The named tallies are the ones an
 * accountant books separately; `other` holds every group none of them covers (payouts that came
 * back, corrections, top-ups, credit notes, service fees, and types this gateway does not know).
 */
export interface MovementTotals {
  byType: MovementGroup[];
  captures: Tally;
  refunds: Tally;
  /** `capture-fee` on the fees account (negative: new fees). */
  captureFees: Tally;
  /** `fees-retained` on the funds account: fees withheld from the payout (net settlement). */
  feesRetained: Tally;
  /** `fees-invoiced` on the fees account: fees billed apart (gross settlement). */
  feesInvoiced: Tally;
  disputesRetained: Tally;
  disputesReturned: Tally;
  /** `payout-scheduled` on the funds account (negative: the balance leaves for the bank). */
  payouts: Tally;
  other: MovementGroup[];
}

type Named = Exclude<keyof MovementTotals, 'byType' | 'other'>;

const named: Readonly<Record<Topic, Partial<Record<MovementKind, Named | 'mirror'>>>> = {
  funds: {
    CAPTURE: 'captures',
    REFUND: 'refunds',
    FEES_RETAINED: 'feesRetained',
    RETAINED_DISPUTED_CAPTURE: 'disputesRetained',
    RETURNED_DISPUTED_CAPTURE: 'disputesReturned',
    PAYOUT_SCHEDULED: 'payouts',
  },
  fees: {
    CAPTURE_FEE: 'captureFees',
    FEES_INVOICED: 'feesInvoiced',
    // The fees-account side of `fees-retained` mirrors the funds entry: counting it again as
    // "other" would report the same fees twice.
    FEES_RETAINED: 'mirror',
  },
};

export function movementTotals(accounts: Iterable<{ topic: Topic; days: Iterable<AccountDay> }>): MovementTotals {
  const groups: Record<Topic, Map<string, MovementGroup>> = { funds: new Map(), fees: new Map() };
  const totals: Record<Named, Tally> = {
    captures: emptyTally(),
    refunds: emptyTally(),
    captureFees: emptyTally(),
    feesRetained: emptyTally(),
    feesInvoiced: emptyTally(),
    disputesRetained: emptyTally(),
    disputesReturned: emptyTally(),
    payouts: emptyTally(),
  };
  for (const { topic, days } of accounts) {
    for (const day of days) {
      for (const entry of day.entries) addEntry(groups[topic], totals, topic, entry);
    }
  }
  const byType = [...groups.funds.values(), ...groups.fees.values()].sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.entryType.localeCompare(b.entryType),
  );
  const other = byType.filter((group) => named[group.topic][group.kind] === undefined);
  return { byType, ...totals, other };
}

function addEntry(groups: Map<string, MovementGroup>, totals: Record<Named, Tally>, topic: Topic, entry: ReportEntry): void {
  const kind = movementKindOf(entry.entryType);
  const group = entryOf(groups, entry.entryType, () => ({
    topic,
    entryType: entry.entryType,
    kind,
    ...emptyTally(),
  }));
  addToTally(group, entry.amount);
  const name = named[topic][kind];
  if (name !== undefined && name !== 'mirror') addToTally(totals[name], entry.amount);
}

import { addDays } from '../kernel/calendar.ts';
import { addExact } from '../kernel/exact.ts';
import { movementKindOf } from '../kernel/movement-kinds.ts';
import type { ReportEntry } from '../sources/report/models.ts';

/**
 * Disputes as the funds account shows them: the issuer's dispute of a capture is a
 * `retained-disputed-capture` (−) with the capture's reference and pspReference, and a won one
 * comes back as `returned-disputed-capture` (+); retain and return can repeat. Upstream books no
 * entry for a lost dispute, so "lost" is the absence of a return once a decision window has passed.
 */

/** How many dates after its last retention a dispute without a full return is taken as lost. */
export const disputeDecisionDays = 45;

export type DisputeOutcome = 'OPEN' | 'WON' | 'LOST';

export interface Dispute {
  pspReference: string;
  reference: string | null;
  currency: string;
  /** What was retained, as a positive amount: the sum of the retentions. */
  retained: number;
  /** What came back (positive): the sum of the returns. */
  returned: number;
  /** The ledger date of the first retention: when the dispute opened. */
  retainedOn: string;
  /** The ledger date of the last return; null while nothing came back. */
  returnedOn: string | null;
  outcome: DisputeOutcome;
  /** The retentions and returns, in ledger order. */
  entries: ReportEntry[];
  /** The last date the search for returns covered; null when it read nothing. */
  checkedThrough: string | null;
}

export function isRetention(entry: ReportEntry): boolean {
  return movementKindOf(entry.entryType) === 'RETAINED_DISPUTED_CAPTURE';
}

function isReturn(entry: ReportEntry): boolean {
  return movementKindOf(entry.entryType) === 'RETURNED_DISPUTED_CAPTURE';
}

/**
 * One dispute from its capture's funds entries from the first retention on (in ledger order),
 * searched through `checkedThrough`: WON when every retained øre came back, LOST when some did
 * not and the search covered `disputeDecisionDays` dates after the last retention, OPEN otherwise.
 */
export function disputeOf(first: ReportEntry, later: readonly ReportEntry[], checkedThrough: string | null): Dispute {
  const entries = [first, ...later.filter((entry) => entry !== first && (isRetention(entry) || isReturn(entry)) && entry.ledgerDate >= first.ledgerDate)];
  let retained = 0;
  let returned = 0;
  let lastRetainedOn = first.ledgerDate;
  let returnedOn: string | null = null;
  for (const entry of entries) {
    if (isRetention(entry)) {
      retained = addExact(retained, -entry.amount);
      lastRetainedOn = entry.ledgerDate;
    } else {
      returned = addExact(returned, entry.amount);
      returnedOn = entry.ledgerDate;
    }
  }
  const decided = checkedThrough !== null && checkedThrough >= addDays(lastRetainedOn, disputeDecisionDays);
  const outcome: DisputeOutcome = returned >= retained ? 'WON' : decided ? 'LOST' : 'OPEN';
  return {
    pspReference: first.pspReference ?? '',
    reference: first.reference ?? null,
    currency: first.currency,
    retained,
    returned,
    retainedOn: first.ledgerDate,
    returnedOn,
    outcome,
    entries,
    checkedThrough,
  };
}

import { toOpenEnum } from './open-enum.ts';

/** What a Report API entry is, by its `entryType`: the vocabulary of the joins and the books. */
export const movementKinds = [
  'CAPTURE',
  'REFUND',
  'FEES_RETAINED',
  'PAYOUT_SCHEDULED',
  'PAYOUT_ABORTED',
  'RETAINED_DISPUTED_CAPTURE',
  'RETURNED_DISPUTED_CAPTURE',
  'CORRECTION',
  'TOP_UP',
  'CREDIT_NOTE',
  'CAPTURE_FEE',
  'FEES_INVOICED',
  'SERVICE_FEE',
] as const;

export type MovementKind = (typeof movementKinds)[number] | 'UNKNOWN';

const kinds = new Map<string, MovementKind>();

/**
 * The kind of a raw entry type, remembered: a month of a busy ledger is a hundred thousand
 * entries of a dozen types, each classified more than once. `scheduled-for-payout` is the 2023
 * name of `payout-scheduled`; both are still in the wild.
 */
export function movementKindOf(entryType: string): MovementKind {
  let kind = kinds.get(entryType);
  if (kind === undefined) {
    kind = toOpenEnum(entryType, movementKinds, { 'scheduled-for-payout': 'PAYOUT_SCHEDULED' }) ?? 'UNKNOWN';
    // Upstream adds types rarely; a bound keeps a stream of odd strings from growing the map.
    if (kinds.size < 1000) kinds.set(entryType, kind);
  }
  return kind;
}

/** A dispute of a capture, retained or returned: it can come weeks after its sale. */
export function isDisputeKind(kind: MovementKind): boolean {
  return kind === 'RETAINED_DISPUTED_CAPTURE' || kind === 'RETURNED_DISPUTED_CAPTURE';
}

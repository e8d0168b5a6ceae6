import { salesDatesBookedOn } from '../../kernel/booking-window.ts';
import { isDisputeKind, movementKindOf, type MovementKind } from '../../kernel/movement-kinds.ts';
import type { Context } from '../context.ts';
import { saleFromLookup, saleOnDate, type MoneyMovementShape, type SaleShape } from './shapes.ts';

/** Movements that mirror one sale and sit on (or just after) the sale's own date. */
const sameDayKinds: ReadonlySet<MovementKind> = new Set(['CAPTURE', 'REFUND', 'CAPTURE_FEE', 'UNKNOWN']);

/**
 * The sale behind a money movement (the reverse join). A capture or fee on Report date R
 * belongs to a sale of Sales date R, or of R−1 when it came past the cut-off or the fee came
 * late. Those two dates go through the request's Sales `day` loader rather than one
 * `/psp-references/` call per movement: a page of a thousand movements then costs the same one
 * or two date fetches as a single movement does, where per-movement lookups would cost a
 * thousand calls. Disputes are the exception, rare and of any age, so they use the lookup.
 *
 * Payouts, fee settlements, corrections and top-ups have no sale; neither has anything without
 * a recipientHandle, nor an API merchant (`api:`), which the Sales API does not cover: those
 * answer null without an upstream call.
 */
export async function findSale(context: Context, movement: MoneyMovementShape): Promise<SaleShape | null> {
  const { pspReference, recipientHandle, ledgerDate } = movement.entry;
  if (!pspReference || !recipientHandle || recipientHandle.startsWith('api:')) return null;
  const kind = movementKindOf(movement.entry.entryType);

  // A dispute can come weeks after its capture: no date guess reaches it.
  if (isDisputeKind(kind)) {
    const entry = await context.sales.byPspReference.load({ ledgerId: movement.ledgerId, pspReference });
    return entry === null ? null : saleFromLookup(movement.ledgerId, entry);
  }
  if (!sameDayKinds.has(kind)) return null;

  for (const date of salesDatesBookedOn(ledgerDate)) {
    const day = await context.sales.day.load({ ledgerId: movement.ledgerId, date });
    const entry = day.byPspReference.get(pspReference);
    if (entry !== undefined) return saleOnDate(movement.ledgerId, date, entry);
  }
  return null;
}

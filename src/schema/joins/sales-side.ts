import { salesDatesBookedOn } from '../../kernel/booking-window.ts';
import { movementKindOf, type MovementKind } from '../../kernel/movement-kinds.ts';
import type { Context } from '../context.ts';
import { saleFromLookup, saleOnDate, type MoneyMovementShape, type SaleShape } from './shapes.ts';

/** What a sale books itself, on its own date or the next: its capture or refund, and its fees. */
const bookedWithItsSale: ReadonlySet<MovementKind> = new Set(['CAPTURE', 'REFUND', 'CAPTURE_FEE']);

/**
 * The sale behind a money movement (the reverse join), for every entry that carries a sale's
 * pspReference, so that a movement in `Sale.moneyMovements` always leads back to that sale.
 *
 * A capture, refund or fee on Report date R belongs to a sale of Sales date R, or of R−1 when it
 * came past the cut-off or the fee came late. Those two dates go through the request's Sales
 * `day` loader rather than one `/psp-references/` call per movement: a page of a thousand
 * movements then costs the same one or two date fetches as a single movement does. What comes
 * later (disputes, fee corrections, adjustments, types not known yet) can come at any distance:
 * those are rare, and use the lookup (answered by the feed mirror where it has the sale).
 *
 * Payouts, fee settlements, service fees, top-ups and ledger corrections have no sale, and
 * carry no recipientHandle; neither has an API merchant (`api:`), which the Sales API does not
 * cover: those answer null without an upstream call.
 */
export async function findSale(context: Context, movement: MoneyMovementShape): Promise<SaleShape | null> {
  const { pspReference, recipientHandle, ledgerDate } = movement.entry;
  if (!pspReference || !recipientHandle || recipientHandle.startsWith('api:')) return null;

  if (bookedWithItsSale.has(movementKindOf(movement.entry.entryType))) {
    for (const date of salesDatesBookedOn(ledgerDate)) {
      const day = await context.sales.day.load({ ledgerId: movement.ledgerId, date });
      const entry = day.byPspReference.get(pspReference);
      if (entry !== undefined) return saleOnDate(movement.ledgerId, date, entry);
    }
    return null;
  }
  const entry = await context.sales.byPspReference.load({ ledgerId: movement.ledgerId, pspReference });
  return entry === null ? null : saleFromLookup(movement.ledgerId, entry);
}

import { movementKindOf } from '../../kernel/movement-kinds.ts';
import type { PayerEntry } from '../../sources/report/payers.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { costOf } from '../cost.ts';
import { saleOwnMovement } from '../joins/sale-money.ts';
import type { MoneyMovementShape } from '../joins/shapes.ts';
import { MoneyMovement } from './money-movement.ts';
import { Sale } from './sale.ts';

/**
 * Who paid a Vippsnummer payment. Only for callers whose roles include `personal-data`: scope auth
 * refuses the field to anyone else before it runs (FORBIDDEN), and such a caller has no loader of
 * the personal reads either. The payer is read from its own upstream read and cache entry, never
 * from the entries every other field reads.
 */

const Payer = builder.objectRef<PayerEntry>('Payer').implement({
  description:
    "Who paid a Vippsnummer capture (or was refunded), as the Report API tells it with `includeGDPRSensitiveData`. " +
    'Personal data: only callers with the role `personal-data` see it, and the gateway never logs it.',
  fields: (t) => ({
    name: t.string({ nullable: true, description: "The payer's name as upstream gives it (often a first name and an initial).", resolve: (entry) => entry.name ?? null }),
    maskedPhoneNumber: t.string({ nullable: true, description: "The payer's phone number, masked by upstream (e.g. `xxxx 1234`).", resolve: (entry) => entry.maskedPhoneNo ?? null }),
    message: t.string({ nullable: true, description: "The payer's message with the payment; null when they wrote none.", resolve: (entry) => entry.message ?? null }),
  }),
});

const roleNote =
  'Only for callers whose roles include `personal-data`; anyone else gets a `FORBIDDEN` error on this field (and no personal ' +
  'data is read for them). Null where upstream has no payer: mPOS and API payments, and entries other than captures and refunds.';

/** The payer of a funds capture or refund: its date read again with personal data (one read per date, shared). */
async function payerOf(context: Context, movement: MoneyMovementShape): Promise<PayerEntry | null> {
  const kind = movementKindOf(movement.entry.entryType);
  if (movement.topic !== 'funds' || (kind !== 'CAPTURE' && kind !== 'REFUND') || !movement.entry.pspReference) return null;
  // Scope auth has refused the field already; without the role there is no loader to read with.
  if (context.payers === null) return null;
  const day = await context.payers.load({ ledgerId: movement.ledgerId, date: movement.entry.ledgerDate });
  const same = day.byPspReference.get(movement.entry.pspReference)?.find((entry) => entry.entryType === movement.entry.entryType);
  return same !== undefined && (same.name != null || same.maskedPhoneNo != null || same.message != null) ? same : null;
}

builder.objectFields(MoneyMovement, (t) => ({
  payer: t.field({
    authScopes: { role: 'personal-data' },
    extensions: costOf((c) => c.chargeJoins(['payers'])),
    type: Payer,
    nullable: true,
    description: `Who paid (a capture) or was refunded (a refund) on a Vippsnummer. ${roleNote}`,
    resolve: (movement, _args, context) => payerOf(context, movement),
  }),
}));

builder.objectFields(Sale, (t) => ({
  payer: t.field({
    authScopes: { role: 'personal-data' },
    extensions: costOf((c) => c.chargeJoins(['funds', 'payers'])),
    type: Payer,
    nullable: true,
    description: `Who paid this sale (or was refunded), from its funds entry on the sale's date or the next. ${roleNote}`,
    resolve: async (sale, _args, context) => {
      const booked = await saleOwnMovement(context, sale);
      return booked === null ? null : payerOf(context, booked);
    },
  }),
}));

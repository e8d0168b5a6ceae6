import type { Topic } from '../../sources/report/models.ts';
import { costOf } from '../cost.ts';
import { builder } from '../builder.ts';
import { findSale } from '../joins/sales-side.ts';
import { movementKindOf, type MovementKind } from '../../kernel/movement-kinds.ts';
import type { MoneyMovementShape } from '../joins/shapes.ts';
import { openEnumNote } from '../../kernel/open-enum.ts';
import { Ledger, ledgerById } from './ledger.ts';
import { Money } from './money.ts';
import { Sale } from './sale.ts';

export const MoneyMovementTopic = builder.enumType('MoneyMovementTopic', {
  description: 'The ledger account a money movement is booked on.',
  values: {
    FUNDS: {
      value: 'funds',
      description: 'What Vipps MobilePay owes the merchant: captures raise it, refunds lower it, payouts empty it.',
    },
    FEES: {
      value: 'fees',
      description: 'What the merchant owes in fees: capture fees lower it, retained or invoiced fees settle it.',
    },
  } as const satisfies Record<string, { value: Topic; description: string }>,
});

const kindValues = {
  CAPTURE: { description: 'Money from a customer to the merchant (funds, +).' },
  REFUND: { description: 'Money back to a customer (funds, −).' },
  FEES_RETAINED: { description: 'Fees withheld from funds under net settlement (− on funds, mirrored + on fees).' },
  PAYOUT_SCHEDULED: {
    description:
      'A payout of the balance was scheduled (funds, −); the last entry of a date that pays out. Also the old `scheduled-for-payout`.',
  },
  PAYOUT_ABORTED: { description: 'A scheduled payout could not run; the money is back on the ledger (funds, +).' },
  RETAINED_DISPUTED_CAPTURE: { description: 'A disputed capture was deducted (funds, −).' },
  RETURNED_DISPUTED_CAPTURE: { description: 'A dispute was won and the money came back (funds, +).' },
  CORRECTION: { description: 'A manual adjustment (±).' },
  TOP_UP: { description: 'The merchant paid money in, usually after a lasting negative balance (funds, +).' },
  CREDIT_NOTE: { description: 'A credit against an earlier invoice (±).' },
  CAPTURE_FEE: { description: 'The fee for one capture (fees, −); a capture may have several.' },
  FEES_INVOICED: { description: 'Fees invoiced under gross settlement (fees, +).' },
  SERVICE_FEE: { description: 'A fee not tied to one capture, e.g. a subscription (fees, −).' },
  UNKNOWN: { description: 'An entry type this gateway does not know yet; see `entryType`.' },
} as const satisfies Record<MovementKind, { description: string }>;

export const MoneyMovementKind = builder.enumType('MoneyMovementKind', {
  description: `What a money movement is. ${openEnumNote} Book an unknown kind by the sign of its amount.`,
  values: kindValues,
});

export const MoneyMovement = builder.objectRef<MoneyMovementShape>('MoneyMovement').implement({
  description:
    "One entry on a ledger's funds or fees account, as the Report API records it. Entries never change once " +
    'reported; mistakes are fixed by new correction entries.',
  fields: (t) => ({
    ledgerId: t.exposeString('ledgerId', { description: 'The ledger the entry is booked on.' }),
    ledger: t.field({
      type: Ledger,
      nullable: true,
      description: 'The ledger the entry is booked on.',
      resolve: (movement, _args, context) => ledgerById(movement.ledgerId, context),
    }),
    topic: t.expose('topic', {
      type: MoneyMovementTopic,
      description: 'The account: funds or fees.',
    }),
    entryType: t.exposeString('entryType', {
      description: 'The raw upstream entry type (e.g. `capture-fee`), never rejected.',
    }),
    kind: t.field({
      type: MoneyMovementKind,
      description: 'The entry type as an enum; `UNKNOWN` for types this gateway does not know yet.',
      resolve: (movement) => movementKindOf(movement.entry.entryType),
    }),
    time: t.expose('time', { type: 'DateTime', description: 'When the movement happened.' }),
    ledgerDate: t.expose('ledgerDate', {
      type: 'Date',
      description: 'The ledger date the entry belongs to.',
    }),
    reference: t.exposeString('reference', {
      nullable: true,
      description:
        'The order id of the payment; on `PAYOUT_SCHEDULED` the bank-transfer text; null or empty where upstream has none.',
    }),
    pspReference: t.exposeString('pspReference', {
      nullable: true,
      description:
        'The id of the one money movement this entry books; a capture and its fees share it. On payouts `<ledgerId>-<payoutNumber>`.',
    }),
    amount: t.expose('amount', {
      type: Money,
      description: "Signed change to the account's balance.",
    }),
    balanceBefore: t.expose('balanceBefore', {
      type: Money,
      description: "The account's balance before this entry.",
    }),
    balanceAfter: t.expose('balanceAfter', {
      type: Money,
      description: "The account's balance after this entry (`balanceBefore + amount`).",
    }),
    recipientHandle: t.exposeString('recipientHandle', {
      nullable: true,
      description:
        'The sales unit the payment was made to or from (`NO:123456`, `api:123456`); null on payouts and fee settlements.',
    }),
    sale: t.field({
      extensions: costOf((c) => c.chargeJoins(['sales'])),
      type: Sale,
      nullable: true,
      description:
        'The Sales API entry this movement books (captures, refunds, their fees and disputes of Vippsnummer and mPOS ' +
        'sales); null for movements without a sale, such as payouts, fee settlements and API (ePayment) payments.',
      resolve: (movement, _args, context) => findSale(context, movement),
    }),
  }),
});

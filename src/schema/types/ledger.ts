import { ledgerTimeZone } from '../../kernel/booking-window.ts';
import type { Ledger as LedgerShape } from '../../sources/report/models.ts';
import { costOf, pageSize } from '../cost.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { checkedId, idForms } from '../inputs.ts';
import { pageOf } from '../pagination.ts';
import { BankAccount } from './bank-account.ts';
import { NotFoundError, notVisible } from './errors.ts';
import { Organization } from './organization.ts';
import { SalesUnit } from './sales-unit.ts';

/**
 * A ledger loads through the request's `ledger` loader over the granted-ledger list, so every
 * ledger of a request costs the one list call together (`ledgerById` for fields that hold an id).
 */
export const Ledger = builder.node(builder.objectRef<LedgerShape>('Ledger'), {
  description:
    'The accounts on which Vipps MobilePay records what it owes one merchant for one settlement unit, and from which ' +
    'payouts are made. A ledger settles for one or more sales units.',
  id: { resolve: (ledger: LedgerShape) => ledger.ledgerId },
  loadMany: async (ledgerIds: readonly string[], context: Context) =>
    (await context.report.ledger.loadMany(ledgerIds)).map((ledger) => (ledger instanceof Error ? Promise.reject(ledger) : ledger)),
  fields: (t) => ({
    ledgerId: t.exposeString('ledgerId', {
      description: 'The upstream ledger id (e.g. `302321`): stable, safe to store, and the key of `Query.ledger`.',
    }),
    currency: t.field({
      type: 'Currency',
      description: 'The currency the ledger settles in.',
      resolve: (ledger) => ledger.currency,
    }),
    timeZone: t.string({
      description:
        'The IANA time zone its ledger dates run on (e.g. `Europe/Oslo`): show times of this ledger on this clock. ' +
        'Upstream does not publish it; it follows the country the currency settles in.',
      resolve: (ledger) => ledgerTimeZone(ledger.currency),
    }),
    owner: t.field({
      type: Organization,
      nullable: true,
      authScopes: { role: 'ledger-details' },
      description:
        'The business that owns the ledger; null when upstream does not say. Only for callers with the role ' +
        '`ledger-details` (others get a `FORBIDDEN` error here).',
      resolve: (ledger) => ledger.owner ?? null,
    }),
    payoutBankAccount: t.field({
      type: BankAccount,
      nullable: true,
      authScopes: { role: 'ledger-details' },
      description:
        'Where payouts go; null when upstream does not say. Only for callers with the role `ledger-details` (others get ' +
        'a `FORBIDDEN` error here).',
      resolve: (ledger) => ledger.payoutBankAccount ?? null,
    }),
    settlesForRecipientHandles: t.exposeStringList('settlesForRecipientHandles', {
      description: 'Handles of the sales units whose money this ledger settles.',
    }),
    salesUnits: t.field({
      type: [SalesUnit],
      description: 'The sales units this ledger settles for, with their names.',
      resolve: (ledger) => ledger.salesUnits,
    }),
  }),
});

/** The ledger a field holds the id of: null when it is not visible (any more). */
export function ledgerById(ledgerId: string, context: Context): Promise<LedgerShape | null> {
  return context.report.ledger.load(ledgerId);
}

/**
 * The one check every entry that takes a ledger id makes before it reads anything of that
 * ledger: the ledger when the caller may see it, else `NotFoundError` exactly as for a ledger
 * that does not exist. A ledger outside the caller's grant costs no upstream call; one inside
 * it costs the (shared, cached) ledger list.
 */
export async function visibleLedger(ledgerId: string, context: Context): Promise<LedgerShape> {
  const ledger = await context.report.ledger.load(ledgerId);
  if (ledger === null) throw notVisible('Ledger', ledgerId);
  return ledger;
}

builder.queryFields((t) => ({
  ledgers: t.connection(
    {
      extensions: costOf((c) => c.multiplies(pageSize(c.args))),
      type: Ledger,
      nullable: true,
      description: 'The ledgers visible to you (granted to the accounting keys, and to your tenant), in upstream order.',
      args: {
        recipientHandle: t.arg.string({
          required: false,
          description: 'Only ledgers that settle for this sales unit, e.g. `NO:123456` or `api:123456`.',
        }),
      },
      resolve: async (_root, args, context) => {
        const handle = args.recipientHandle == null ? '' : checkedId('recipientHandle', args.recipientHandle, idForms.recipientHandle);
        return pageOf(args, await context.report.ledgers.load(handle));
      },
    },
    {
      name: 'LedgerConnection',
      description: 'A page of ledgers.',
      fields: (connection) => ({
        totalCount: connection.int({ description: 'How many ledgers match in all.', resolve: (page) => page.totalCount }),
      }),
    },
    { name: 'LedgerEdge', description: 'A ledger and its cursor.' },
  ),
  ledger: t.field({
    type: Ledger,
    nullable: true,
    description:
      'One ledger by its upstream `ledgerId`. Answers `NotFoundError` when it does not exist or is not visible to you.',
    errors: { types: [NotFoundError], union: { name: 'LedgerResult', description: 'The ledger, or why there is none.' } },
    args: { id: t.arg.string({ required: true, description: 'The upstream ledger id (`Ledger.ledgerId`), not a global id.' }) },
    resolve: async (_root, args, context) => {
      checkedId('id', args.id, idForms.ledgerId);
      return visibleLedger(args.id, context);
    },
  }),
}));

import type { Ledger as LedgerShape } from '../../sources/report/models.ts';
import { costOf, pageSize } from '../cost.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { badInput } from '../input-errors.ts';
import { pageOf } from '../pagination.ts';
import { BankAccount } from './bank-account.ts';
import { NotFoundError } from './errors.ts';
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
    owner: t.field({
      type: Organization,
      nullable: true,
      description: 'The business that owns the ledger; null when upstream does not say.',
      resolve: (ledger) => ledger.owner ?? null,
    }),
    payoutBankAccount: t.field({
      type: BankAccount,
      nullable: true,
      description: 'Where payouts go; null when upstream does not say.',
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

/** A ledger the caller may see, or a not-found outcome that names it. */
export async function grantedLedger(ledgerId: string, context: Context): Promise<LedgerShape> {
  const ledger = await context.report.ledger.load(ledgerId);
  if (ledger === null) {
    throw new NotFoundError('Ledger', ledgerId, `No ledger ${JSON.stringify(ledgerId)} is granted to these accounting keys.`);
  }
  return ledger;
}

builder.queryFields((t) => ({
  ledgers: t.connection(
    {
      extensions: costOf((c) => c.multiplies(pageSize(c.args))),
      type: Ledger,
      nullable: true,
      description: 'The ledgers the merchants have granted to your accounting keys, in upstream order.',
      args: {
        recipientHandle: t.arg.string({
          required: false,
          description: 'Only ledgers that settle for this sales unit, e.g. `NO:123456` or `api:123456`.',
        }),
      },
      resolve: async (_root, args, context) => pageOf(args, await context.report.ledgers.load(args.recipientHandle ?? '')),
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
      'One ledger by its upstream `ledgerId`. Answers `NotFoundError` when it does not exist or is not granted to you.',
    errors: { types: [NotFoundError], union: { name: 'LedgerResult', description: 'The ledger, or why there is none.' } },
    args: { id: t.arg.string({ required: true, description: 'The upstream ledger id (`Ledger.ledgerId`), not a global id.' }) },
    resolve: async (_root, args, context) => {
      if (args.id.trim() === '') throw badInput('id', 'must not be empty');
      return grantedLedger(args.id, context);
    },
  }),
}));

import type { BankAccount as BankAccountShape } from '../../sources/report/models.ts';
import { builder } from '../builder.ts';

export const BankAccount = builder.objectRef<BankAccountShape>('BankAccount').implement({
  description: "The bank account a ledger's payouts are sent to.",
  fields: (t) => ({
    scheme: t.exposeString('scheme', {
      description: 'Kind of account number and its country, e.g. `BBAN:NO` or `BBAN:DK`.',
    }),
    accountNumber: t.string({
      description: 'The account number, written as the scheme prescribes (e.g. `86011117947`).',
      resolve: (account) => account.id,
    }),
  }),
});

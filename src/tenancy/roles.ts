/**
 * What a tenant's roles allow beyond reading its ledgers' sales and money. A tenant without
 * roles sees every figure of its ledgers, but not who owns them or where the money goes.
 */
export const roles = {
  'ledger-details': 'sees `Ledger.owner` (the organisation) and `Ledger.payoutBankAccount`',
  'personal-data': "sees payers' names, masked phone numbers and messages where upstream has them",
  'trusted-documents-only': 'may send only the trusted (persisted) documents of the gateway, never a document of its own',
} as const;

export type Role = keyof typeof roles;

export const roleNames = Object.keys(roles) as Role[];

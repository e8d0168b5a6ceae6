import { lexicographicSortSchema, printSchema as printGraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import './types/scalars.ts';
import './types/errors.ts';
import './types/money.ts';
import './types/organization.ts';
import './types/bank-account.ts';
import './types/sales-unit.ts';
import './types/ledger.ts';
import './types/completeness.ts';
import './types/order-line.ts';
import './types/sale-enums.ts';
import './types/sale.ts';
import './types/money-movement.ts';
import './types/settlement.ts';
import './types/money-history.ts';
import './types/order.ts';
import './types/sale-joins.ts';
import './types/ledger-lists.ts';
import './types/ledger-changes.ts';
import './types/sales-availability.ts';
import './types/ledger-day.ts';
import './types/payout.ts';
import './types/ledger-payouts.ts';
import './types/sale-payout.ts';
import './types/disputes.ts';
import './types/fee-rates.ts';
import './types/payer.ts';
import './types/reconciliation.ts';
import './types/reconciliation-coverage.ts';
import './types/vat.ts';
import './types/journal.ts';
import './types/ledger-groups.ts';
import './types/node.ts';
import './types/subscriptions.ts';

export const schema = builder.toSchema();

/** The schema as SDL, sorted so that the committed `schema.graphql` diffs cleanly. */
export function printSchema(): string {
  return `${printGraphQLSchema(lexicographicSortSchema(schema))}\n`;
}

export type { Context } from './context.ts';
export { createContext } from './context.ts';

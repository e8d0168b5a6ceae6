import type { SalesEntry } from '../../sources/sales/models.ts';
import { builder } from '../builder.ts';

type CompletenessShape = NonNullable<SalesEntry['completeness']>;

export const Completeness = builder.objectRef<CompletenessShape>('Completeness').implement({
  description:
    'What the merchant provided for a sale. Trust these flags rather than empty lists or null amounts: they tell ' +
    '"not provided" from "known to be nothing".',
  fields: (t) => ({
    hasLineItems: t.exposeBoolean('hasLineItems', { description: 'The sale has order lines.' }),
    hasVatBreakdown: t.exposeBoolean('hasVatBreakdown', { description: 'Every order line carries its VAT rate and amount.' }),
    hasCustomerIdentity: t.exposeBoolean('hasCustomerIdentity', {
      description: 'Customer identity was provided (upstream never exposes it today).',
    }),
  }),
});

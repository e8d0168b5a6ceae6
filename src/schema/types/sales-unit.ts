import type { SalesUnit as SalesUnitShape } from '../../sources/report/models.ts';
import { builder } from '../builder.ts';
import { Organization } from './organization.ts';

export const SalesUnit = builder.objectRef<SalesUnitShape>('SalesUnit').implement({
  description: 'A point of sale whose money a ledger settles: a Vippsnummer (VM-number), an mPOS or an API merchant (MSN).',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Display name of the sales unit, as the merchant set it.' }),
    recipientHandle: t.exposeString('recipientHandle', {
      description: 'The handle money movements name as their `recipientHandle`: `NO:123456`, `DK:…`, `FI:…`, or `api:<MSN>`.',
    }),
    businessIdentifier: t.field({
      type: Organization,
      nullable: true,
      description: 'The business behind the sales unit; null when upstream does not say.',
      resolve: (unit) => unit.businessIdentifier ?? null,
    }),
  }),
});

import type { Organization as OrganizationShape } from '../../sources/report/models.ts';
import { builder } from '../builder.ts';

/** `business:NO:ORG` → `NO`: the country is the scheme's middle part. */
function schemeCountry(scheme: string): string | null {
  const parts = scheme.split(':');
  return parts.length >= 3 && /^[A-Z]{2}$/.test(parts[1] ?? '') ? (parts[1] ?? null) : null;
}

export const Organization = builder.objectRef<OrganizationShape>('Organization').implement({
  description: "A business as identified in its country's register: the owner of a ledger or of a sales unit.",
  fields: (t) => ({
    scheme: t.exposeString('scheme', {
      description: 'Which register the identifier belongs to: `business:NO:ORG`, `business:DK:CVR` or `business:FI:Y-tunnus`.',
    }),
    identifier: t.string({
      description: 'The organisation number in that register, e.g. `987654321`.',
      resolve: (organization) => organization.id,
    }),
    country: t.string({
      nullable: true,
      description: 'Two-letter country code taken from the scheme; null when the scheme has none.',
      resolve: (organization) => schemeCountry(organization.scheme),
    }),
  }),
});

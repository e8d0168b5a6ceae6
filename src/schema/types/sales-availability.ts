import type { SalesCoverage, SolutionAvailability as SolutionAvailabilityData } from '../../kernel/sales-availability.ts';
import { builder } from '../builder.ts';
import { Solution } from './sale-enums.ts';

export const SalesDataCoverage = builder.enumType('SalesDataCoverage', {
  description: 'How much of a ledger date the Sales API has data for, for one solution.',
  values: {
    NONE: { description: "The whole date is before the solution's availability floor: the Sales API has nothing of it." },
    PARTIAL: { description: 'The floor falls within the date (or may, given the cut-off): sales before it are missing.' },
    FULL: { description: 'The whole date is after the floor: every sale of the solution is there.' },
  } as const satisfies Record<SalesCoverage, { description: string }>,
});

export const SolutionAvailability = builder.objectRef<SolutionAvailabilityData>('SolutionAvailability').implement({
  description:
    'Whether the Sales API has data of one solution on a ledger date. It holds nothing before the documented availability ' +
    'floors (mPOS 2026-03-09 12:45 UTC, open amount 2026-03-16 09:28 UTC, shopping basket 2026-04-22 11:04 UTC), while the ' +
    'Report API goes back as far as the ledger.',
  fields: (t) => ({
    solution: t.field({ type: Solution, description: 'The solution.', resolve: (item) => item.solution }),
    availableFrom: t.field({ type: 'DateTime', description: 'When the Sales API starts to hold it.', resolve: (item) => item.availableFrom }),
    coverage: t.field({ type: SalesDataCoverage, description: 'How much of the date it covers.', resolve: (item) => item.coverage }),
  }),
});

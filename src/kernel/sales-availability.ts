import { addDays, ledgerDateStartsAt } from './calendar.ts';

/**
 * When the Sales API has data at all. It holds nothing of a solution before that solution's
 * availability floor, while the Report API goes back as far as the ledger: before a floor a
 * date's Sales list is not "no sales" but "no Sales data yet", and a capture without a sale is
 * not a mismatch. Floors as upstream documents them (UTC).
 */
export const salesFloors = [
  { solution: 'MPOS', from: '2026-03-09T12:45:00Z' },
  { solution: 'VARIABLE_AMOUNT', from: '2026-03-16T09:28:00Z' },
  { solution: 'SHOPPING_BASKET', from: '2026-04-22T11:04:00Z' },
] as const;

export type SalesSolution = (typeof salesFloors)[number]['solution'];

/** How much of a date the Sales API covers for one solution. */
export type SalesCoverage = 'NONE' | 'PARTIAL' | 'FULL';

export interface SolutionAvailability {
  solution: SalesSolution;
  availableFrom: string;
  coverage: SalesCoverage;
}

/** The latest floor: before it, some solution's sales may be missing from the Sales API. */
export const allSalesDataFrom = salesFloors.reduce((latest, floor) => (floor.from > latest ? floor.from : latest), '');

/**
 * Per solution, how much of ledger date `date` the Sales API covers on a ledger in `timeZone`.
 * Upstream does not publish a ledger's cut-off, so the date is taken as wide as it can be (from
 * midnight to the latest cut-off after the next midnight): a date is called fully covered only
 * when it surely is, and not covered at all only when it surely is not.
 */
export function salesAvailabilityOn(date: string, timeZone: string, latestCutoffHour: number): SolutionAvailability[] {
  const startsAt = ledgerDateStartsAt(date, timeZone);
  const endsAt = ledgerDateStartsAt(addDays(date, 1), timeZone, latestCutoffHour);
  return salesFloors.map(({ solution, from }) => ({
    solution,
    availableFrom: from,
    coverage: Date.parse(endsAt) <= Date.parse(from) ? 'NONE' : Date.parse(startsAt) >= Date.parse(from) ? 'FULL' : 'PARTIAL',
  }));
}

/** Whether a movement at `time` may belong to a sale whose Sales data does not exist yet. */
export function beforeAllSalesData(time: string): boolean {
  return Date.parse(time) < Date.parse(allSalesDataFrom);
}

/** Over several dates: none when no date has any, full when every date is full, partial otherwise. */
export function salesAvailabilityOver(dates: readonly string[], timeZone: string, latestCutoffHour: number): SolutionAvailability[] {
  const perDate = dates.map((date) => salesAvailabilityOn(date, timeZone, latestCutoffHour));
  return salesFloors.map(({ solution, from }, index) => {
    const coverages = new Set(perDate.map((date) => date[index]?.coverage));
    const only = coverages.size === 1 ? [...coverages][0] : 'PARTIAL';
    return { solution, availableFrom: from, coverage: only ?? 'PARTIAL' };
  });
}

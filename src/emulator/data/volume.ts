import { dayOfMonth, monthOf, weekday } from './calendar.ts';
import type { LedgerSpec } from './catalog.ts';
import { Rng } from './random.ts';

/**
 * How many sales a ledger has on a date: the business's ordinary day, shaped by weekday, season
 * (summer holidays, Black Friday, the weeks before Christmas) and day-to-day noise.
 */
export function dayVolume(seed: string, ledger: LedgerSpec, day: number): number {
  const profile = ledger.profile;
  const wd = weekday(day);
  if (profile.hours[wd] === null) return 0;
  const rng = new Rng(seed, ledger.ledgerId, day, 'volume');
  const noise = Math.exp(0.18 * rng.normal());
  return Math.max(0, Math.round(profile.salesPerDay * (profile.weekdayFactor[wd] ?? 1) * season(day, profile.retailSeason) * noise));
}

function season(day: number, retail: boolean): number {
  const month = monthOf(day);
  const date = dayOfMonth(day);
  if (month === 7) return 0.75;
  if (!retail) return month === 12 && date >= 24 && date <= 26 ? 0.4 : 1;
  if (month === 11 && weekday(day) === 5 && date >= 23 && date <= 29) return 2.8; // Black Friday
  if (month === 12) {
    if (date >= 24 && date <= 26) return 0.35;
    if (date >= 18) return 2.1;
    return 1.4;
  }
  return 1;
}

import { describe, expect, it } from 'vitest';
import { addDays, datesFrom, daysBetween, isIsoDate, ledgerDateOf } from '../../src/kernel/calendar.ts';

describe('dates', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2026-05-04')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('2026-5-4')).toBe(false);
    expect(isIsoDate('2026-05-04T00:00:00Z')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });

  it('adds days across months, years and summer-time changes', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });

  it('counts and lists dates between two dates', () => {
    expect(daysBetween('2026-05-01', '2026-05-04')).toBe(3);
    expect(daysBetween('2026-05-04', '2026-05-01')).toBe(-3);
    expect(datesFrom('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(datesFrom('2026-05-02', '2026-05-01')).toEqual([]);
  });

  it('places an instant on its ledger date in the ledger time zone', () => {
    // 23:30 UTC on 4 May is 01:30 on 5 May in Oslo (summer time, UTC+2).
    expect(ledgerDateOf('2026-05-04T23:30:00Z', 'Europe/Oslo')).toBe('2026-05-05');
    // In winter Oslo is UTC+1: 22:30 UTC is 23:30 local, still the same date.
    expect(ledgerDateOf('2026-01-10T22:30:00Z', 'Europe/Oslo')).toBe('2026-01-10');
    // Helsinki is an hour ahead of Oslo.
    expect(ledgerDateOf('2026-01-10T22:30:00Z', 'Europe/Helsinki')).toBe('2026-01-11');
  });

  it('honours a cut-off hour other than midnight', () => {
    // 01:30 local on 5 May belongs to 4 May when the ledger day runs 04:00-04:00.
    expect(ledgerDateOf('2026-05-04T23:30:00Z', 'Europe/Oslo', 4)).toBe('2026-05-04');
    // 04:00 local exactly starts the new ledger date.
    expect(ledgerDateOf('2026-05-05T02:00:00Z', 'Europe/Oslo', 4)).toBe('2026-05-05');
    expect(() => ledgerDateOf('not a time', 'Europe/Oslo')).toThrow(RangeError);
  });
});

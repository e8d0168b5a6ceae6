/**
 * The one clock of the suites: a Wednesday in May. Every date before it is closed: 65 dates of
 * Vippsnummer history (from 2026-03-16), more of mPOS, shopping baskets since 2026-04-22. The
 * clock's own date, 2026-05-20, is open and holds what was booked up to noon.
 */
export const testNow = '2026-05-20T12:00:00Z';

/** The open ledger date of `testNow`. */
export const today = testNow.slice(0, 10);

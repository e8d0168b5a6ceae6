import { entryOf } from '../../kernel/memo.ts';
import type { MirrorLocation } from '../../sources/report/client.ts';
import type { IndexedReportDay } from '../../sources/report/loaders.ts';
import type { ReportEntry, Topic } from '../../sources/report/models.ts';
import type { Context } from '../context.ts';
import { pageSearchOf } from './page-search.ts';
import { reportDatesFor, type MoneyMovementShape, type SaleShape } from './shapes.ts';

/** What a search of a sale's Report dates found, and which dates it read to know that. */
export interface ReportSearch {
  movements: MoneyMovementShape[];
  /** The date the funds entries are on; null when none was found (and always for fees). */
  foundOn: IndexedReportDay | null;
  checked: IndexedReportDay[];
}

/*
 * The Report API has no lookup by pspReference, so whole dates are read through the request's
 * `day` loader and its pspReference index: every sale of a page asks for the same (ledger,
 * topic, date) at once and the loader fetches it once. A page of N sales therefore costs one
 * or two fetches per account, never N.
 */

/** An open date is the newest upstream has: nothing can be booked on a later date yet. */
export function afterAnOpenDate(date: string, checked: readonly IndexedReportDay[]): boolean {
  return checked.some((day) => !day.isClosed && date > day.date);
}

/** A sale's guessed dates, worked out once for both accounts and every field that joins it. */
const guessedDates = new WeakMap<SaleShape, string[]>();

const guessesFor = (sale: SaleShape): string[] => entryOf(guessedDates, sale, () => reportDatesFor(sale));

/**
 * The ledger dates to read for a pspReference's entries: where the mirror has them, plus those
 * of the guessed dates (`guesses`, the sale's date and the next) that the mirror has not read
 * completely yet. Without a mirror, the guesses alone.
 */
export function datesToSearch(location: MirrorLocation | null, guesses: readonly string[]): string[] {
  if (location === null) return [...guesses];
  const { horizon } = location;
  const unread = guesses.filter((date) => horizon === null || date >= horizon);
  return [...new Set([...location.dates, ...unread])].sort();
}

/** Where the feed mirror has the entries (at any distance), else the sale's date and the next. */
export async function searchDates(context: Context, sale: SaleShape, topic: Topic): Promise<string[]> {
  const { pspReference } = sale.entry;
  const location = pspReference === null ? null : await context.report.located.load({ ledgerId: sale.ledgerId, topic, pspReference });
  return datesToSearch(location, guessesFor(sale));
}

export function movements(ledgerId: string, topic: Topic, entries: readonly ReportEntry[]): MoneyMovementShape[] {
  return entries.map((entry) => ({ ledgerId, topic, entry }));
}

/**
 * The funds entries with the sale's pspReference. A sale has one capture (or refund) entry, so
 * the search stops at the first date that has it: D+1 is read only for the sales still
 * missing on D (captures past the cut-off).
 */
export async function findFunds(context: Context, sale: SaleShape): Promise<ReportSearch> {
  const searchedWithPage = pageSearchOf(sale, 'funds');
  if (searchedWithPage !== undefined) return searchedWithPage;
  const { pspReference } = sale.entry;
  const checked: IndexedReportDay[] = [];
  if (pspReference === null) return { movements: [], foundOn: null, checked };
  for (const date of await searchDates(context, sale, 'funds')) {
    if (afterAnOpenDate(date, checked)) continue;
    const day = await context.report.day.load({ ledgerId: sale.ledgerId, topic: 'funds', date });
    checked.push(day);
    const entries = day.byPspReference.get(pspReference) ?? [];
    if (entries.length > 0) return { movements: movements(sale.ledgerId, 'funds', entries), foundOn: day, checked };
  }
  return { movements: [], foundOn: null, checked };
}

/**
 * The fees entries with the sale's pspReference. A capture can have several fees, one on D and
 * another on D+1, so finding one on D does not end the search: every date that can hold one is
 * read (both are shared by the whole page, so this costs the page two fetches, not one more
 * per sale).
 */
export async function findFees(context: Context, sale: SaleShape): Promise<ReportSearch> {
  const searchedWithPage = pageSearchOf(sale, 'fees');
  if (searchedWithPage !== undefined) return searchedWithPage;
  const { pspReference } = sale.entry;
  const checked: IndexedReportDay[] = [];
  if (pspReference === null) return { movements: [], foundOn: null, checked };
  const found: ReportEntry[] = [];
  for (const date of await searchDates(context, sale, 'fees')) {
    if (afterAnOpenDate(date, checked)) continue;
    const day = await context.report.day.load({ ledgerId: sale.ledgerId, topic: 'fees', date });
    checked.push(day);
    found.push(...(day.byPspReference.get(pspReference) ?? []));
  }
  return { movements: movements(sale.ledgerId, 'fees', found), foundOn: null, checked };
}

/** The sale's Report entries of both accounts, funds first. */
export async function findAllReportEntries(context: Context, sale: SaleShape): Promise<MoneyMovementShape[]> {
  const [funds, fees] = await Promise.all([findFunds(context, sale), findFees(context, sale)]);
  return [...funds.movements, ...fees.movements];
}

import type { IndexedReportDay } from '../../sources/report/loaders.ts';
import type { ReportEntry, Topic } from '../../sources/report/models.ts';
import type { Context } from '../context.ts';
import { reportDatesFor, type MoneyMovementShape, type SaleShape } from './shapes.ts';

/** What a search of a sale's Report dates found, and which dates it read to know that. */
export interface ReportSearch {
  movements: MoneyMovementShape[];
  /** The date the movements are on; null when none was found. */
  foundOn: IndexedReportDay | null;
  checked: IndexedReportDay[];
}

/**
 * The entries of one account (funds or fees) with the sale's pspReference. The Report API has
 * no lookup by pspReference, so whole dates are read through the request's `day` loader: every
 * sale of a page asks for the same (ledger, topic, date) at once and the loader fetches it
 * once. Only sales still missing go on to the next date, so a page of N sales costs one or two
 * fetches per account, never N.
 */
export async function findReportEntries(context: Context, sale: SaleShape, topic: Topic): Promise<ReportSearch> {
  const { pspReference } = sale.entry;
  const checked: IndexedReportDay[] = [];
  if (pspReference === null) return { movements: [], foundOn: null, checked };

  for (const date of reportDatesFor(sale)) {
    const latest = checked.at(-1);
    // An open date is the newest one upstream has: nothing can be booked on a later date yet.
    if (latest !== undefined && !latest.isClosed && date > latest.date) continue;
    const day = await context.report.day.load({ ledgerId: sale.ledgerId, topic, date });
    checked.push(day);
    const entries = day.byPspReference.get(pspReference) ?? [];
    if (entries.length > 0) {
      return { movements: entries.map((entry) => movement(sale.ledgerId, topic, entry)), foundOn: day, checked };
    }
  }
  return { movements: [], foundOn: null, checked };
}

function movement(ledgerId: string, topic: Topic, entry: ReportEntry): MoneyMovementShape {
  return { ledgerId, topic, entry };
}

/** The sale's Report entries of both accounts, funds first. */
export async function findAllReportEntries(context: Context, sale: SaleShape): Promise<MoneyMovementShape[]> {
  const [funds, fees] = await Promise.all([findReportEntries(context, sale, 'funds'), findReportEntries(context, sale, 'fees')]);
  return [...funds.movements, ...fees.movements];
}

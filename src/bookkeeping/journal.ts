import { addDays } from '../kernel/calendar.ts';
import { addExact } from '../kernel/exact.ts';
import { entryOf } from '../kernel/memo.ts';
import { basisPointsToPercent } from '../kernel/money.ts';
import { movementKindOf } from '../kernel/movement-kinds.ts';
import type { ReportEntry, Topic } from '../sources/report/models.ts';
import type { SalesEntry } from '../sources/sales/models.ts';
import { ns4102Chart, outputVatCode, type Chart, type ChartAccount } from './chart.ts';
import type { AccountDay, LedgerReader } from './reader.ts';
import { SalesMatcher } from './sales-matcher.ts';
import { saleVat } from './vat.ts';

/**
 * The double-entry lines a bookkeeper posts for ledger dates, from the Report entries of both
 * accounts. Every entry posts its amount to the account it moves (the funds account is the
 * clearing account, the fees account the fees payable) and the same amount, the other way, to
 * what it is: revenue and output VAT by rate (split as the merchant entered the sale), fees,
 * disputes, the bank. So each entry balances on its own, and a date's lines sum to zero, which
 * is checked before any line leaves here. Lines are summed per date, group, account and VAT
 * rate, and keep the entries they came from.
 */

export const journalGroups = ['SALES', 'REFUNDS', 'FEES', 'FEES_SETTLED', 'FEES_INVOICED', 'DISPUTES', 'PAYOUTS', 'OTHER'] as const;
export type JournalGroup = (typeof journalGroups)[number];

/** How a revenue or VAT line's VAT is known: by rate, for a whole sale without a rate, not at all; NONE off revenue. */
export type VatBasis = 'RATED' | 'WITHOUT_RATE' | 'LACKING' | 'NONE';

export interface TracedEntry {
  topic: Topic;
  entry: ReportEntry;
}

export interface JournalLine {
  /** `<ledgerId>:<date>:<group>:<account>:<basis>[:<rate>]`: stable, names the line in the graph and the CSV. */
  id: string;
  date: string;
  group: JournalGroup;
  account: ChartAccount;
  vatBasis: VatBasis;
  /** Basis points; null unless `vatBasis` is RATED. */
  vatRate: number | null;
  vatCode: string | null;
  description: string;
  /** Debit minus credit, exact: a debit when positive, a credit when negative. */
  amount: number;
  /** The entries posted to this line, in upstream order. */
  entries: TracedEntry[];
}

export interface JournalDay {
  date: string;
  /** Both accounts of the date are closed: its lines are final. */
  isClosed: boolean;
  lines: JournalLine[];
  /** Σ debits, which equals Σ credits. */
  debit: number;
}

export class UnbalancedJournalError extends Error {
  override readonly name = 'UnbalancedJournalError';
}

export function debitOf(line: Pick<JournalLine, 'amount'>): number {
  return line.amount > 0 ? line.amount : 0;
}

export function creditOf(line: Pick<JournalLine, 'amount'>): number {
  return line.amount < 0 ? -line.amount : 0;
}

const groupText: Readonly<Record<JournalGroup, string>> = {
  SALES: 'Sales',
  REFUNDS: 'Refunds',
  FEES: 'Fees',
  FEES_SETTLED: 'Fees retained from the payout',
  FEES_INVOICED: 'Fees invoiced',
  DISPUTES: 'Disputes',
  PAYOUTS: 'Payouts',
  OTHER: 'Other movements',
};

function describe(group: JournalGroup, account: ChartAccount, basis: VatBasis, rate: number | null): string {
  const vat = basis === 'RATED' && rate !== null ? `, ${basisPointsToPercent(rate)} % VAT` : basis === 'WITHOUT_RATE' ? ', VAT without a rate' : basis === 'LACKING' ? ', no VAT data: book by hand' : '';
  return `${groupText[group]}: ${account.name}${vat}`;
}

/** Sums one date's postings into lines. */
class DayLines {
  readonly #lines = new Map<string, JournalLine>();

  constructor(
    readonly ledgerId: string,
    readonly date: string,
  ) {}

  post(group: JournalGroup, account: ChartAccount, amount: number, traced: TracedEntry, basis: VatBasis = 'NONE', rate: number | null = null): void {
    const id = `${this.ledgerId}:${this.date}:${group}:${account.number}:${basis}${rate === null ? '' : `:${rate}`}`;
    const line = entryOf(this.#lines, id, () => ({
      id,
      date: this.date,
      group,
      account,
      vatBasis: basis,
      vatRate: rate,
      vatCode: basis === 'RATED' ? outputVatCode(rate) : null,
      description: describe(group, account, basis, rate),
      amount: 0,
      entries: [],
    }));
    line.amount = addExact(line.amount, amount);
    if (line.entries.at(-1) !== traced) line.entries.push(traced);
  }

  /** The lines, debits first; throws when they do not balance to the øre. */
  result(isClosed: boolean): JournalDay {
    const lines = [...this.#lines.values()].sort((a, b) => journalGroups.indexOf(a.group) - journalGroups.indexOf(b.group) || b.amount - a.amount);
    let balance = 0;
    let debit = 0;
    for (const line of lines) {
      balance = addExact(balance, line.amount);
      debit = addExact(debit, debitOf(line));
    }
    if (balance !== 0) throw new UnbalancedJournalError(`the journal of ${this.ledgerId} on ${this.date} is off by ${balance} minor units`);
    return { date: this.date, isClosed, lines, debit };
  }
}

/** Revenue and output VAT of a capture or refund of `amount`, split as its sale's VAT; all of it lacking VAT data without a sale. */
function postSale(lines: DayLines, chart: Chart, group: JournalGroup, traced: TracedEntry, sale: SalesEntry | null): void {
  const { amount } = traced.entry;
  lines.post(group, chart.clearing, amount, traced);
  const split = sale === null ? null : saleVat(sale);
  // The sale's gross is the entry's amount (a refund's may carry either sign): anything else is not its sale.
  const sign = split === null || split.gross === 0 ? 0 : amount === split.gross ? 1 : amount === -split.gross ? -1 : 0;
  if (split === null || sign === 0) {
    lines.post(group, chart.sales, -amount, traced, 'LACKING');
    return;
  }
  for (const part of split.rated) {
    lines.post(group, chart.sales, -sign * addExact(part.gross, -part.vat), traced, 'RATED', part.rate);
    lines.post(group, chart.outputVat, -sign * part.vat, traced, 'RATED', part.rate);
  }
  if (split.withoutRate !== null) {
    lines.post(group, chart.sales, -sign * addExact(split.withoutRate.gross, -split.withoutRate.vat), traced, 'WITHOUT_RATE');
    lines.post(group, chart.outputVat, -sign * split.withoutRate.vat, traced, 'WITHOUT_RATE');
  }
  if (split.lackingGross !== 0) lines.post(group, chart.sales, -sign * split.lackingGross, traced, 'LACKING');
}

function postFunds(lines: DayLines, chart: Chart, entry: ReportEntry, sales: SalesMatcher): void {
  const traced: TracedEntry = { topic: 'funds', entry };
  const { amount } = entry;
  const against = (group: JournalGroup, account: ChartAccount) => {
    lines.post(group, chart.clearing, amount, traced);
    lines.post(group, account, -amount, traced);
  };
  switch (movementKindOf(entry.entryType)) {
    case 'CAPTURE':
      return postSale(lines, chart, 'SALES', traced, sales.match(entry, 'capture'));
    case 'REFUND':
      return postSale(lines, chart, 'REFUNDS', traced, sales.match(entry, 'refund'));
    case 'FEES_RETAINED':
      return against('FEES_SETTLED', chart.feesPayable);
    case 'RETAINED_DISPUTED_CAPTURE':
    case 'RETURNED_DISPUTED_CAPTURE':
      return against('DISPUTES', chart.disputes);
    case 'PAYOUT_SCHEDULED':
    case 'PAYOUT_ABORTED':
      return against('PAYOUTS', chart.bank);
    case 'TOP_UP':
      return against('OTHER', chart.bank);
    default:
      return against('OTHER', chart.suspense);
  }
}

function postFees(lines: DayLines, chart: Chart, entry: ReportEntry): void {
  const traced: TracedEntry = { topic: 'fees', entry };
  const { amount } = entry;
  switch (movementKindOf(entry.entryType)) {
    // The fees-account side of `fees-retained` mirrors the funds entry, which posts it.
    case 'FEES_RETAINED':
      return;
    case 'FEES_INVOICED':
      lines.post('FEES_INVOICED', chart.feesPayable, amount, traced);
      lines.post('FEES_INVOICED', chart.feesInvoiced, -amount, traced);
      return;
    default:
      lines.post('FEES', chart.feesPayable, amount, traced);
      lines.post('FEES', chart.fees, -amount, traced);
  }
}

/** The journal of one date, from both accounts' entries and the sales they may book. */
export function journalOfDate(ledgerId: string, funds: AccountDay, fees: AccountDay, sales: SalesMatcher, chart: Chart = ns4102Chart): JournalDay {
  const lines = new DayLines(ledgerId, funds.date);
  for (const entry of funds.entries) postFunds(lines, chart, entry, sales);
  for (const entry of fees.entries) postFees(lines, chart, entry);
  return lines.result(funds.isClosed && fees.isClosed);
}

/**
 * The journal of consecutive dates, date by date, oldest first. A capture on a date belongs to
 * a sale of that date or the one before (the booking window), so the Sales dates read start one
 * before `dates`.
 */
export async function readJournal(reader: LedgerReader, dates: readonly string[], chart: Chart = ns4102Chart): Promise<JournalDay[]> {
  const first = dates[0];
  if (first === undefined) return [];
  const [funds, fees, salesDays] = await Promise.all([
    Promise.all(dates.map((date) => reader.funds(date))),
    Promise.all(dates.map((date) => reader.fees(date))),
    Promise.all([addDays(first, -1), ...dates].map((date) => reader.sales(date))),
  ]);
  const sales = new SalesMatcher(salesDays.flatMap((day) => day.entries));
  return funds.map((day, index) => journalOfDate(reader.ledgerId, day, fees[index] ?? { ...day, entries: [] }, sales, chart));
}

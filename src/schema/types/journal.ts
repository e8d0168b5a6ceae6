import type { ChartAccount } from '../../bookkeeping/chart.ts';
import { MoneyMovementShape } from '../joins/shapes.ts';
import {
  creditOf,
  debitOf,
  readJournal,
  type JournalDay,
  type JournalGroup as JournalGroupValue,
  type JournalLine as JournalLineData,
  type VatBasis,
} from '../../bookkeeping/journal.ts';
import type { LedgerReader } from '../../bookkeeping/reader.ts';
import { addExact } from '../../kernel/exact.ts';
import { basisPointsToPercent } from '../../kernel/money.ts';
import type { Ledger as LedgerShape } from '../../sources/report/models.ts';
import { builder } from '../builder.ts';
import { costOf, joinDates, pageSize, rangeDays } from '../cost.ts';
import { checkedRange, narrowerRange, rangeArgs, rangeReader } from '../ledger-reads.ts';
import { pageOf } from '../pagination.ts';
import { Ledger } from './ledger.ts';
import { Money, MoneyShape } from './money.ts';
import { MoneyMovement } from './money-movement.ts';

/** The journal of consecutive dates, read once when a field first asks. */
class JournalShape {
  #days?: Promise<JournalDay[]>;

  constructor(
    readonly ledger: LedgerShape,
    readonly dates: string[],
    readonly reader: LedgerReader,
  ) {}

  days(): Promise<JournalDay[]> {
    this.#days ??= readJournal(this.reader, this.dates);
    return this.#days;
  }

  async lines(): Promise<InLedger<JournalLineData>[]> {
    return (await this.days()).flatMap((day) => day.lines.map((line) => ({ line, ledger: this.ledger })));
  }
}

interface InLedger<Line> {
  line: Line;
  ledger: LedgerShape;
}

const JournalGroup = builder.enumType('JournalGroup', {
  description: 'What a journal line books.',
  values: {
    SALES: { value: 'SALES', description: 'Captures: the clearing account against revenue and output VAT by rate.' },
    REFUNDS: { value: 'REFUNDS', description: 'Refunds: revenue and output VAT back against the clearing account.' },
    FEES: { value: 'FEES', description: 'Fees charged on the fees account (capture fees, service fees, their corrections).' },
    FEES_SETTLED: { value: 'FEES_SETTLED', description: 'Fees retained from the funds (net settlement): fees payable against clearing.' },
    FEES_INVOICED: { value: 'FEES_INVOICED', description: 'Fees billed apart (gross settlement): fees payable against the invoice.' },
    DISPUTES: { value: 'DISPUTES', description: 'Captures retained in a dispute, and returned.' },
    PAYOUTS: { value: 'PAYOUTS', description: 'Payouts to the bank, and payouts aborted back.' },
    OTHER: { value: 'OTHER', description: 'Top-ups, corrections, credit notes and entry types without a booking rule.' },
  } as const satisfies Record<JournalGroupValue, { value: JournalGroupValue; description: string }>,
});

const JournalVatBasis = builder.enumType('JournalVatBasis', {
  description: 'How the VAT of a revenue or output VAT line is known.',
  values: {
    RATED: { value: 'RATED', description: 'From order lines with a VAT rate.' },
    WITHOUT_RATE: { value: 'WITHOUT_RATE', description: 'The merchant gave VAT for the whole sale, without a rate.' },
    LACKING: { value: 'LACKING', description: 'No VAT data (or no sale found for the entry): the whole gross, to be booked by hand.' },
    NONE: { value: 'NONE', description: 'Not a revenue or VAT line.' },
  } as const satisfies Record<VatBasis, { value: VatBasis; description: string }>,
});

export const JournalAccount = builder.objectRef<ChartAccount>('JournalAccount').implement({
  description: 'An account of the chart journal lines are posted to (by default the Norwegian standard chart, NS 4102).',
  fields: (t) => ({
    number: t.exposeString('number', { description: 'The account number, e.g. `1580`.' }),
    name: t.exposeString('name', { description: 'The account name.' }),
  }),
});

const JournalLine = builder.objectRef<InLedger<JournalLineData>>('JournalLine').implement({
  description: 'One line of the journal: the sum posted to one account on one date for one kind of movement (and VAT rate).',
  fields: (t) => ({
    trace: t.string({
      description: 'Stable name of the line (`<ledgerId>:<date>:<group>:<account>:<vatBasis>[:<rate>]`); the `trace` column of the CSV.',
      resolve: ({ line }) => line.id,
    }),
    date: t.field({ type: 'Date', description: 'The ledger date.', resolve: ({ line }) => line.date }),
    group: t.field({ type: JournalGroup, description: 'What the line books.', resolve: ({ line }) => line.group }),
    account: t.field({ type: JournalAccount, description: 'The account posted to.', resolve: ({ line }) => line.account }),
    debit: t.field({ type: Money, description: 'The debit (zero on a credit line).', resolve: ({ line, ledger }) => new MoneyShape(debitOf(line), ledger.currency) }),
    credit: t.field({ type: Money, description: 'The credit (zero on a debit line).', resolve: ({ line, ledger }) => new MoneyShape(creditOf(line), ledger.currency) }),
    vatBasis: t.field({ type: JournalVatBasis, description: 'How its VAT is known.', resolve: ({ line }) => line.vatBasis }),
    vatRatePercent: t.string({
      nullable: true,
      description: 'The VAT rate in percent, exact (`"25.00"`); null unless `vatBasis` is RATED.',
      resolve: ({ line }) => (line.vatRate === null ? null : basisPointsToPercent(line.vatRate)),
    }),
    vatCode: t.string({
      nullable: true,
      description: 'The Norwegian standard VAT code (SAF-T) of the rate (`3` for 25 %, `31` for 15 %, `33` for 12 %); null where there is none.',
      resolve: ({ line }) => line.vatCode,
    }),
    description: t.string({ description: 'What the line is, for the posting text.', resolve: ({ line }) => line.description }),
    entryCount: t.int({ description: 'How many Report entries the line sums.', resolve: ({ line }) => line.entries.length }),
    reference: t.string({
      nullable: true,
      description: 'The pspReference of its entry when the line sums exactly one (a payout, a dispute); null otherwise.',
      resolve: ({ line }) => (line.entries.length === 1 ? (line.entries[0]?.entry.pspReference ?? null) : null),
    }),
    entries: t.connection(
      {
        extensions: costOf((c) => {
          c.joinsOn(joinDates);
          c.lists(pageSize(c.args));
        }),
        type: MoneyMovement,
        description: 'The Report entries the line sums, in upstream order: its trace to the money movements.',
        resolve: ({ line, ledger }, args) => pageOf(args, line.entries.map(({ topic, entry }) => new MoneyMovementShape(ledger.ledgerId, topic, entry))),
      },
      {
        name: 'JournalEntryConnection',
        description: 'A page of the entries of a journal line.',
        fields: (connection) => ({
          totalCount: connection.int({ description: 'How many entries the line sums.', resolve: (page) => page.totalCount }),
        }),
      },
      { name: 'JournalEntryEdge', description: 'An entry and its cursor.' },
    ),
  }),
});

const Journal = builder.objectRef<JournalShape>('Journal').implement({
  description:
    'The double-entry journal of consecutive ledger dates: what a bookkeeper posts, balanced to the øre (Σ debit = Σ ' +
    'credit on every date). Also served as CSV at `GET /journal.csv?ledgerId=…&from=…&to=…`.',
  fields: (t) => ({
    from: t.field({ type: 'Date', description: 'The first date.', resolve: (journal) => journal.dates[0] ?? '' }),
    to: t.field({ type: 'Date', description: 'The last date.', resolve: (journal) => journal.dates.at(-1) ?? '' }),
    isFinal: t.boolean({
      nullable: true,
      description: 'Whether upstream has closed both accounts of every date: only then will the lines not change.',
      resolve: async (journal) => (await journal.days()).every((day) => day.isClosed),
    }),
    debit: t.field({
      type: Money,
      nullable: true,
      description: 'Σ debits of every line.',
      resolve: async (journal) => new MoneyShape((await journal.days()).reduce((sum, day) => addExact(sum, day.debit), 0), journal.ledger.currency),
    }),
    credit: t.field({
      type: Money,
      nullable: true,
      description: 'Σ credits of every line: always equal to `debit` (an unbalanced journal is an error, never an answer).',
      resolve: async (journal) =>
        new MoneyShape((await journal.lines()).reduce((sum, { line }) => addExact(sum, creditOf(line)), 0), journal.ledger.currency),
    }),
    lines: t.connection(
      {
        type: JournalLine,
        nullable: true,
        description: 'The lines, date by date (each date: by group, debits first).',
        resolve: async (journal, args) => pageOf(args, await journal.lines()),
      },
      {
        name: 'JournalLineConnection',
        description: 'A page of journal lines.',
        fields: (connection) => ({
          totalCount: connection.int({ description: 'How many lines the journal has.', resolve: (page) => page.totalCount }),
        }),
      },
      { name: 'JournalLineEdge', description: 'A journal line and its cursor.' },
    ),
  }),
});

builder.objectField(Ledger, 'journal', (t) =>
  t.field({
    extensions: costOf((c) => {
      const dates = rangeDays(c.args);
      // Both accounts of every date, and the Sales dates from the one before (for the VAT split).
      c.reads(2 * c.upstreamReportDates(dates) + dates + 1);
      c.advise(narrowerRange);
    }),
    type: Journal,
    nullable: true,
    description:
      'The journal entries of the ledger dates from `from` to `to` (at most 366), balanced: sales revenue and output VAT ' +
      'per rate, refunds, fees, disputes, the clearing account and payouts to the bank. Costs one read per date and ' +
      'account and one per Sales date; with the feed mirror the closed Report dates are read from it. Journal lines page.',
    args: { from: t.arg(rangeArgs.from), to: t.arg(rangeArgs.to) },
    resolve: (ledger, args, context) => new JournalShape(ledger, checkedRange(context, ledger, args.from, args.to), rangeReader(context, ledger.ledgerId)),
  }),
);

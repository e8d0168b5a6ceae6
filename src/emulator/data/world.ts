import { ledgerDateOf } from './calendar.ts';
import { buildCatalog, floors, type Catalog, type LedgerSpec } from './catalog.ts';
import { Identifiers } from './identifiers.ts';
import { Lru } from './lru.ts';
import { initialState, type DayInputs, type LedgerState } from './ledger-rows.ts';
import { buildReportDay, closingState, type ReportDay } from './report-day.ts';
import type { Capture, Sale, SalesDay } from './sale-records.ts';
import { generateSalesDay } from './sales-day.ts';
import { LedgerSchedule, type SalesItem } from './schedule.ts';
import { periodEnd } from './settlement.ts';

/**
 * Everything the emulator knows, as a pure function of the seed. Days are generated on first
 * use; what must persist to chain balances is one small state per ledger date, and what sales
 * book on later dates is kept in each ledger's schedule; the rest lives in bounded caches that
 * can be dropped at any time.
 */

export type { SalesItem } from './schedule.ts';

export class World {
  readonly catalog: Catalog;
  readonly ids: Identifiers;
  private readonly states = new Map<string, LedgerState[]>();
  private readonly schedules = new Map<string, LedgerSchedule>();
  // Weighed by the number of sales and entries held, not by days: a busy day is a big day. Kept
  // small: what they hold dies old, so each entry costs the collector a major sweep, and closed
  // pages are served from the page cache as bytes anyway (weeks of the busiest ledger still fit).
  private readonly salesDays = new Lru<string, SalesDay>(30_000, (day) => day.sales.length + 1);
  private readonly reportDays = new Lru<string, ReportDay>(40_000, (day) => day.funds.length + day.fees.length + 1);
  private readonly salesItemCache = new Lru<string, SalesItem[]>(15_000, (items) => items.length + 1);

  constructor(
    readonly seed: string,
    /** The one ledger date that books outsized entries (`outsizedDate`), if any: never by default. */
    private readonly outsized: { ledgerId: string; day: number } | null = null,
  ) {
    this.catalog = buildCatalog(seed);
    this.ids = new Identifiers(seed);
  }

  ledger(ledgerId: string): LedgerSpec | undefined {
    return this.catalog.byId.get(ledgerId);
  }

  firstDay(ledger: LedgerSpec): number {
    return ledgerDateOf(ledger, ledger.historyStart);
  }

  currentDay(ledger: LedgerSpec, now: number): number {
    return ledgerDateOf(ledger, now);
  }

  /**
   * Whether a date before the current one is closed: its settlement period (the date, its week,
   * its month) has been settled, and the ledger is not in a negative balance that began on or
   * before it. Until then upstream answers it with `tryLater`, for days or weeks.
   */
  isClosed(ledger: LedgerSpec, day: number, now: number): boolean {
    const current = this.currentDay(ledger, now);
    if (day >= current || periodEnd(ledger, day) >= current) return false;
    const { negativeSince } = this.stateBefore(ledger, current);
    return negativeSince === null || day < negativeSince;
  }

  salesDay(ledger: LedgerSpec, day: number): SalesDay {
    return this.salesDays.getOrCreate(`${ledger.ledgerId}|${day}`, () => generateSalesDay(this.seed, ledger, day));
  }

  /** A cached sales date, or a fresh one left out of the cache. */
  private peekSalesDay(ledger: LedgerSpec, day: number): SalesDay {
    return this.salesDays.get(`${ledger.ledgerId}|${day}`) ?? generateSalesDay(this.seed, ledger, day);
  }

  private schedule(ledger: LedgerSpec): LedgerSchedule {
    let schedule = this.schedules.get(ledger.ledgerId);
    if (schedule === undefined) {
      schedule = new LedgerSchedule(ledger, this.firstDay(ledger));
      this.schedules.set(ledger.ledgerId, schedule);
    }
    return schedule;
  }

  /**
   * The schedule with every sales date before `day` registered. The balance walk registers the
   * dates it passes, and a Report date is nearly always asked for with its Sales date: one walk
   * serves both.
   */
  private scheduleBefore(ledger: LedgerSpec, day: number): LedgerSchedule {
    const schedule = this.schedule(ledger);
    if (schedule.through < day - 1) this.stateBefore(ledger, day);
    return schedule;
  }

  /** The ledger's state when the date opens: the previous date's closing balances. */
  stateBefore(ledger: LedgerSpec, day: number): LedgerState {
    const first = this.firstDay(ledger);
    if (day <= first) return initialState(ledger);
    let states = this.states.get(ledger.ledgerId);
    if (!states) {
      states = [];
      this.states.set(ledger.ledgerId, states);
    }
    // Walk forward from the last date already closed; a year of the busiest ledger is one pass.
    // The walk keeps its own two-day window instead of filling the caches, and sums a date's
    // entries instead of making its rows: what it makes dies young, which keeps the collector cheap.
    const schedule = this.schedule(ledger);
    let before: SalesDay | null = null;
    while (first + states.length < day) {
      const next = first + states.length;
      before ??= this.peekSalesDay(ledger, next - 1);
      const today = this.peekSalesDay(ledger, next);
      if (schedule.through === next - 1) schedule.register(today);
      const opening = states[states.length - 1] ?? initialState(ledger);
      states.push(closingState(this.dayInputs(ledger, next, [before, today], opening)));
      before = today;
    }
    const state = states[day - first - 1];
    if (!state) throw new Error(`no state before ${day}`);
    return state;
  }

  reportDay(ledger: LedgerSpec, day: number): ReportDay {
    return this.reportDays.getOrCreate(`${ledger.ledgerId}|${day}`, () => {
      const opening = this.stateBefore(ledger, day);
      return buildReportDay(this.dayInputs(ledger, day, [this.salesDay(ledger, day - 1), this.salesDay(ledger, day)], opening));
    });
  }

  private dayInputs(ledger: LedgerSpec, day: number, sales: readonly [SalesDay, SalesDay], opening: LedgerState): DayInputs {
    const scheduled = this.scheduleBefore(ledger, day).rowsOn(day);
    const outsized = this.outsized !== null && this.outsized.ledgerId === ledger.ledgerId && this.outsized.day === day;
    return { seed: this.seed, ledger, day, sales, opening, scheduled, ids: this.ids, outsized };
  }

  /**
   * Sales API entries of a ledger date, by time: its captures, the refunds made during it, and
   * the later captures and refunds of earlier orders. The Sales API holds nothing of a solution
   * before its availability floor, nor the captures it lost.
   */
  salesItems(ledger: LedgerSpec, day: number): SalesItem[] {
    if (ledger.kind === 'epayment') return [];
    return this.salesItemCache.getOrCreate(`${ledger.ledgerId}|${day}`, () => {
      const today = this.salesDay(ledger, day);
      const items: SalesItem[] = today.sales.map((sale) => ({ sale, part: 0, refund: false, time: sale.time }));
      for (const salesDay of [this.salesDay(ledger, day - 1), today]) {
        for (const sale of salesDay.sales) {
          const refund = sale.refund;
          if (refund && refund.time >= today.start && refund.time < today.end) items.push({ sale, part: 0, refund: true, time: refund.time });
        }
      }
      items.push(...this.scheduleBefore(ledger, day).salesOn(day));
      return items.filter(inSalesApi).sort(bySalesOrder);
    });
  }

  /** Every Sales API entry of the order a sale began, by time, whatever date each falls on. */
  orderItems(sale: Sale): SalesItem[] {
    const items: SalesItem[] = [];
    for (const capture of [sale as Capture, ...sale.parts]) {
      items.push({ sale, part: capture.part, refund: false, time: capture.time });
      if (capture.refund) items.push({ sale, part: capture.part, refund: true, time: capture.refund.time });
    }
    return items.filter(inSalesApi).sort(bySalesOrder);
  }
}

/** Whether the Sales API has the entry: not before its solution's availability floor, and not lost. */
function inSalesApi(item: SalesItem): boolean {
  const { sale } = item;
  if (sale.solution === 'EPAYMENT' || item.time < floors[sale.solution]) return false;
  return !(sale.salesMissing && item.part === 0 && !item.refund);
}

function bySalesOrder(a: SalesItem, b: SalesItem): number {
  return a.time - b.time || Number(a.refund) - Number(b.refund) || a.sale.seq - b.sale.seq || a.part - b.part;
}

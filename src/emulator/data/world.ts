import { ledgerDateOf } from './calendar.ts';
import { buildCatalog, type Catalog, type LedgerSpec } from './catalog.ts';
import { Identifiers } from './identifiers.ts';
import { Lru } from './lru.ts';
import { initialState, type DayInputs, type LedgerState } from './ledger-rows.ts';
import { buildReportDay, type ReportDay } from './report-day.ts';
import { generateSalesDay, type Sale, type SalesDay } from './sales-day.ts';

/**
 * Everything the emulator knows, as a pure function of the seed. Days are generated on first
 * use; what must persist to chain balances is one small state per ledger date, and the rest
 * lives in bounded caches that can be dropped at any time.
 */

/** A Sales API entry: a capture, or the refund of one. */
export interface SalesItem {
  sale: Sale;
  refund: boolean;
  time: number;
}

export class World {
  readonly catalog: Catalog;
  readonly ids: Identifiers;
  private readonly states = new Map<string, LedgerState[]>();
  // Weighed by the number of sales and entries held, not by days: a busy day is a big day.
  private readonly salesDays = new Lru<string, SalesDay>(60_000, (day) => day.sales.length + 1);
  private readonly reportDays = new Lru<string, ReportDay>(80_000, (day) => day.funds.length + day.fees.length + 1);
  private readonly salesItemCache = new Lru<string, SalesItem[]>(30_000, (items) => items.length + 1);

  constructor(readonly seed: string) {
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

  salesDay(ledger: LedgerSpec, day: number): SalesDay {
    return this.salesDays.getOrCreate(`${ledger.ledgerId}|${day}`, () => generateSalesDay(this.seed, ledger, day));
  }

  /** A cached sales date, or a fresh one left out of the cache. */
  private peekSalesDay(ledger: LedgerSpec, day: number): SalesDay {
    return this.salesDays.get(`${ledger.ledgerId}|${day}`) ?? generateSalesDay(this.seed, ledger, day);
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
    // The walk keeps its own three-day window instead of filling the caches: what it makes dies
    // young, which is what keeps the collector cheap.
    const window: SalesDay[] = [];
    while (first + states.length < day) {
      const next = first + states.length;
      if (window.length === 0) window.push(this.peekSalesDay(ledger, next - 2), this.peekSalesDay(ledger, next - 1));
      window.push(this.peekSalesDay(ledger, next));
      const [twoBefore, before, today] = window.slice(-3);
      if (!twoBefore || !before || !today) throw new Error('sales window incomplete');
      const opening = states[states.length - 1] ?? initialState(ledger);
      states.push(this.buildReportDay(ledger, next, [twoBefore, before, today], opening).closing);
      window.shift();
    }
    const state = states[day - first - 1];
    if (!state) throw new Error(`no state before ${day}`);
    return state;
  }

  reportDay(ledger: LedgerSpec, day: number): ReportDay {
    return this.reportDays.getOrCreate(`${ledger.ledgerId}|${day}`, () => {
      const opening = this.stateBefore(ledger, day);
      return this.buildReportDay(ledger, day, [this.salesDay(ledger, day - 2), this.salesDay(ledger, day - 1), this.salesDay(ledger, day)], opening);
    });
  }

  private buildReportDay(ledger: LedgerSpec, day: number, sales: DayInputs['sales'], opening: LedgerState): ReportDay {
    return buildReportDay({ seed: this.seed, ledger, day, sales, opening, ids: this.ids });
  }

  /** Sales API entries of a ledger date, by time: its captures and the refunds made during it. */
  salesItems(ledger: LedgerSpec, day: number): SalesItem[] {
    if (ledger.kind === 'epayment') return [];
    return this.salesItemCache.getOrCreate(`${ledger.ledgerId}|${day}`, () => {
      const today = this.salesDay(ledger, day);
      const items: SalesItem[] = today.sales.map((sale) => ({ sale, refund: false, time: sale.time }));
      for (const salesDay of [this.salesDay(ledger, day - 1), today]) {
        for (const sale of salesDay.sales) {
          const refund = sale.refund;
          if (refund && refund.time >= today.start && refund.time < today.end) items.push({ sale, refund: true, time: refund.time });
        }
      }
      return items.sort((a, b) => a.time - b.time || Number(a.refund) - Number(b.refund) || a.sale.seq - b.sale.seq);
    });
  }
}

import type { PaymentType, Product, Solution } from './profiles.ts';

/**
 * What a ledger date of sales is made of (`sales-day.ts` makes them; `later-entries.ts` adds what
 * happens to a sale afterwards), apart from both so that neither imports the other.
 */

export interface BasketLine {
  product: Product;
  quantity: number;
  /** Gross discount on the line, minor units. */
  discount: number;
}

export interface Refund {
  time: number;
  /** Negative: refunds are signed like the Report API. */
  gross: number;
  /** Indexes of the refunded lines of its capture, or null when the capture has no lines. */
  lines: number[] | null;
}

/** One capture of an order: the sale itself, or a later partial capture of the same order. */
export interface Capture {
  /** 0 for the sale (the order's first capture); 1 and 2 for later partial captures. */
  part: number;
  /** Capture time, UTC milliseconds on a whole second. */
  time: number;
  gross: number;
  lines: BasketLine[] | null;
  /** Microseconds after the whole second at which the capture is written in the Report API. */
  micros: number;
  /** Milliseconds until the capture is booked on the ledger; past the cut-off it lands on the next date. */
  reportLag: number;
  /** Capture fees (negative) and when each is booked, relative to the capture; none when the fee was never booked. */
  fees: number[];
  feeLags: number[];
  refund: Refund | null;
}

/** An entry about a sale booked dates or weeks after it: a dispute and its return, a fee correction, an adjustment. */
export interface LaterEntry {
  topic: 'funds' | 'fees';
  entryType: string;
  /** When it is booked: its time, and when it exists for readers. */
  at: number;
  amount: number;
}

export interface Sale extends Capture {
  seq: number;
  day: number;
  unit: number;
  solution: Solution;
  paymentType: PaymentType;
  /** VAT rate of an amount without lines, when the merchant gave one. */
  amountVatRate: number | null;
  salesCategory: string | null;
  /** The order's later partial captures, each dates after the sale. */
  parts: readonly Capture[];
  later: readonly LaterEntry[];
  /** The Sales API lost this capture: the Report API books it, and no Sales entry exists. */
  salesMissing: boolean;
  /** What the Report API books beyond the sale's gross: 0 but on a day whose reconciliation really mismatches. */
  bookedDelta: number;
}

export interface SalesDay {
  day: number;
  start: number;
  end: number;
  sales: Sale[];
}

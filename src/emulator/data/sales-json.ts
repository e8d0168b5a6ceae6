import { salesTime } from './calendar.ts';
import type { LedgerSpec } from './catalog.ts';
import type { Identifiers } from './identifiers.ts';
import { saleReferences } from './report-json.ts';
import type { BasketLine, Capture } from './sale-records.ts';
import type { SalesItem } from './schedule.ts';

/**
 * Sales API entries. A refund is signed like the Report API (negative amounts) and carries the
 * refunded lines with negated quantity and totals, so that every line invariant still holds. A
 * later partial capture of an order is an entry of its own, with its own lines and pspReference,
 * the order's reference, and the order's time as `orderDate`.
 */

export interface SalesLineJson {
  lineId: string;
  name: string;
  quantity: number;
  unitPriceGross: number;
  unitPriceNet: number | null;
  discountTotal: number;
  lineTotalGross: number;
  lineTotalNet: number | null;
  vatRate: number | null;
  vatAmount: number | null;
  category: string | null;
}

export interface SalesEntryJson {
  entryType: 'capture' | 'refund';
  time: string;
  orderDate: string;
  pspReference: string | null;
  reference: string;
  currency: string;
  paymentType: string;
  classification: { solution: string; salesCategory: string | null };
  amounts: { gross: number; net: number | null; vat: number | null };
  lines: SalesLineJson[];
  customer: null;
  completeness: { hasLineItems: boolean; hasVatBreakdown: boolean; hasCustomerIdentity: boolean };
}

/** Net part of a gross amount at a VAT rate in basis points, rounded on the magnitude so signs mirror. */
export function netOf(gross: number, rate: number): number {
  const magnitude = Math.round((Math.abs(gross) * 10_000) / (10_000 + rate));
  return gross < 0 ? -magnitude : magnitude;
}

function lineJson(line: BasketLine, sign: 1 | -1): SalesLineJson {
  const { product, quantity, discount } = line;
  const gross = product.price * quantity - discount;
  const rate = product.vatRate;
  const net = rate === null ? null : netOf(gross, rate);
  return {
    lineId: product.id,
    name: product.name,
    quantity: sign * quantity,
    unitPriceGross: product.price,
    unitPriceNet: rate === null ? null : netOf(product.price, rate),
    discountTotal: sign * discount || 0,
    lineTotalGross: sign * gross,
    lineTotalNet: net === null ? null : sign * net || 0,
    vatRate: rate,
    vatAmount: net === null ? null : sign * (gross - net) || 0,
    category: product.category,
  };
}

export function salesEntry(item: SalesItem, ledger: LedgerSpec, ids: Identifiers): SalesEntryJson {
  const { sale, refund } = item;
  const capture: Capture | undefined = item.part === 0 ? sale : sale.parts[item.part - 1];
  if (capture === undefined) throw new Error(`sale ${sale.seq} has no part ${item.part}`);
  const sign = refund ? -1 : 1;
  const lines = capture.lines
    ? (refund ? (capture.refund?.lines ?? []) : capture.lines.map((_, index) => index)).flatMap((index) => {
        const line = capture.lines?.[index];
        return line ? [lineJson(line, sign)] : [];
      })
    : [];
  const gross = refund ? (capture.refund?.gross ?? 0) : capture.gross;
  let net: number | null = null;
  if (lines.length > 0 && lines.every((line) => line.lineTotalNet !== null)) {
    net = lines.reduce((sum, line) => sum + (line.lineTotalNet ?? 0), 0);
  } else if (lines.length === 0 && sale.amountVatRate !== null) {
    net = netOf(gross, sale.amountVatRate);
  }
  const references = saleReferences(ids, ledger, sale, refund, item.part);
  return {
    entryType: refund ? 'refund' : 'capture',
    time: salesTime(item.time),
    orderDate: salesTime(sale.time),
    pspReference: sale.paymentType === 'CASH' ? null : references.pspReference,
    reference: references.reference,
    currency: ledger.currency,
    paymentType: sale.paymentType,
    classification: { solution: sale.solution, salesCategory: sale.salesCategory },
    amounts: { gross, net, vat: net === null ? null : gross - net },
    lines,
    customer: null,
    completeness: { hasLineItems: lines.length > 0, hasVatBreakdown: net !== null, hasCustomerIdentity: false },
  };
}

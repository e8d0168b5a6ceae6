/**
 * The accounts journal lines are posted to: a default mapping onto the Norwegian standard chart
 * of accounts (NS 4102), which most Norwegian accounting systems start from. A partner whose
 * merchant keeps other numbers maps them on import; the roles (`clearing`, `sales`, …) are what
 * the journal is built from, so another chart is another value of `Chart`.
 */

export interface ChartAccount {
  number: string;
  name: string;
}

export interface Chart {
  /** What Vipps MobilePay owes the merchant: the funds account. */
  clearing: ChartAccount;
  /** Captures retained in a dispute, until returned or lost. */
  disputes: ChartAccount;
  /** Funds movements without a booking rule (corrections, credit notes, types not known yet): to be classified. */
  suspense: ChartAccount;
  bank: ChartAccount;
  /** What the merchant owes Vipps MobilePay in fees: the fees account. */
  feesPayable: ChartAccount;
  /** Fees billed apart (gross settlement), paid against the invoice. */
  feesInvoiced: ChartAccount;
  /** Sales revenue, net of VAT. */
  sales: ChartAccount;
  outputVat: ChartAccount;
  fees: ChartAccount;
}

export const ns4102Chart: Chart = {
  clearing: { number: '1580', name: 'Vipps MobilePay clearing' },
  disputes: { number: '1585', name: 'Vipps MobilePay disputed captures' },
  suspense: { number: '1589', name: 'Vipps MobilePay movements to classify' },
  bank: { number: '1920', name: 'Bank deposits' },
  feesPayable: { number: '2400', name: 'Vipps MobilePay fees payable' },
  feesInvoiced: { number: '2410', name: 'Vipps MobilePay fees invoiced' },
  sales: { number: '3000', name: 'Sales revenue, VAT liable' },
  outputVat: { number: '2700', name: 'Output VAT' },
  fees: { number: '7770', name: 'Bank and card fees' },
};

/**
 * Norwegian standard VAT codes (SAF-T) of output VAT by rate, in basis points: what an import
 * needs beside the rate. Rates without a Norwegian code (Danish, Finnish) have none.
 */
const outputVatCodes: Readonly<Record<number, string>> = { 2500: '3', 1500: '31', 1200: '33', 1111: '32', 0: '5' };

export function outputVatCode(rate: number | null): string | null {
  return rate === null ? null : (outputVatCodes[rate] ?? null);
}

import type { RawDay, RawReportEntry, RawSale } from '../bookkeeping/raw.ts';

/**
 * What the journal must post, computed from the emulator's raw answers with plain loops and
 * apart from the gateway's code: each account's net movement (debit − credit) per date, and the
 * output VAT by rate of the captures, from the sales they book.
 */

export type AccountNets = Map<string, number>;

function add(nets: AccountNets, account: string, amount: number): void {
  nets.set(account, (nets.get(account) ?? 0) + amount);
}

const payoutTypes = new Set(['payout-scheduled', 'scheduled-for-payout', 'payout-aborted', 'top-up']);
const disputeTypes = new Set(['retained-disputed-capture', 'returned-disputed-capture']);

/** The net movement of the clearing, fees payable, bank, fees, disputes and revenue (3000 + 2700) accounts of one date. */
export function accountNets(day: RawDay): AccountNets {
  const nets: AccountNets = new Map();
  for (const entry of day.funds.entries) {
    // Every funds entry moves the clearing account by its amount.
    add(nets, '1580', entry.amount);
    if (entry.entryType === 'fees-retained') add(nets, '2400', -entry.amount);
    else if (payoutTypes.has(entry.entryType)) add(nets, '1920', -entry.amount);
    else if (disputeTypes.has(entry.entryType)) add(nets, '1585', -entry.amount);
    else if (entry.entryType === 'capture' || entry.entryType === 'refund') add(nets, 'revenue', -entry.amount);
    else add(nets, '1589', -entry.amount);
  }
  for (const entry of day.fees.entries) {
    if (entry.entryType === 'fees-retained') continue;
    if (entry.entryType === 'fees-invoiced') {
      add(nets, '2400', entry.amount);
      add(nets, '2410', -entry.amount);
    } else {
      add(nets, '2400', entry.amount);
      add(nets, '7770', -entry.amount);
    }
  }
  return nets;
}

/** The raw sale a capture books: same pspReference, a capture, the same gross, on its date or the one before. */
function saleOf(capture: RawReportEntry, sales: readonly RawSale[], used: Set<RawSale>): RawSale | undefined {
  const sale = sales.find(
    (candidate) => !used.has(candidate) && candidate.entryType === 'capture' && candidate.pspReference === capture.pspReference && candidate.amounts.gross === capture.amount,
  );
  if (sale !== undefined) used.add(sale);
  return sale;
}

/** Output VAT of the captures on `day` by rate (basis points), credited: positive. */
export function captureVatByRate(day: RawDay, dayBefore: RawDay): Map<number, number> {
  const byRate = new Map<number, number>();
  const sales = [...dayBefore.sales, ...day.sales];
  const used = new Set<RawSale>();
  for (const entry of day.funds.entries) {
    if (entry.entryType !== 'capture') continue;
    const sale = saleOf(entry, sales, used);
    for (const line of sale?.lines ?? []) {
      if (line.vatRate === null || line.vatAmount === null) continue;
      byRate.set(line.vatRate, (byRate.get(line.vatRate) ?? 0) + line.vatAmount);
    }
  }
  return byRate;
}

import type { BooksFragment, SalesTallyFieldsFragment, TypeTallyFragment, VatBreakdownFieldsFragment } from '../gql/graphql.ts';
import { present } from '../support/answers.ts';
import { balances, movementsByType, salesSums, type SalesSum, type Sum, type VatSums } from './expected.ts';
import type { RawDay } from './raw.ts';

/**
 * One plain shape for the books, made from the gateway's answer on one side and from the raw
 * REST answers on the other, so a suite compares them with a single `toEqual`.
 */

type Flat = { count: number; gross: number; net: number; vat: number; countLackingVat: number; grossLackingVat: number };

const sumOf = (tally: { count: number; amount: { minorUnits: number } }): Sum => ({ count: tally.count, amount: tally.amount.minorUnits });

function flatSales(tally: SalesTallyFieldsFragment): Flat {
  return {
    count: tally.count,
    gross: tally.gross.minorUnits,
    net: tally.net.minorUnits,
    vat: tally.vat.minorUnits,
    countLackingVat: tally.countLackingVat,
    grossLackingVat: tally.grossLackingVat.minorUnits,
  };
}

export function canonicalVat(vat: VatBreakdownFieldsFragment) {
  return {
    gross: vat.gross.minorUnits,
    net: vat.net.minorUnits,
    vat: vat.vat.minorUnits,
    byRate: Object.fromEntries(
      vat.byRate.map((rate) => [
        rate.rateBasisPoints,
        { lineCount: rate.lineCount, gross: rate.gross.minorUnits, net: rate.net.minorUnits, vat: rate.vat.minorUnits },
      ]),
    ),
    withoutRate: {
      saleCount: vat.withoutRate.saleCount,
      gross: vat.withoutRate.gross.minorUnits,
      net: vat.withoutRate.net.minorUnits,
      vat: vat.withoutRate.vat.minorUnits,
    },
    lacking: { saleCount: vat.lacking.saleCount, lineCount: vat.lacking.lineCount, gross: vat.lacking.gross.minorUnits },
  };
}

export function canonicalBooks(answer: BooksFragment) {
  const byKey = (groups: readonly TypeTallyFragment[]) =>
    Object.fromEntries(groups.map((group) => [`${group.topic} ${group.entryType}`, sumOf(group)]));
  const fundsAccount = present(answer.fundsAccount, 'fundsAccount');
  const feesAccount = present(answer.feesAccount, 'feesAccount');
  const movements = present(answer.movements, 'movements');
  const sales = present(answer.sales, 'sales');
  return {
    isClosed: answer.isClosed,
    openingBalance: answer.openingBalance?.minorUnits ?? null,
    closingBalance: answer.closingBalance?.minorUnits ?? null,
    funds: {
      opening: fundsAccount.opening?.minorUnits ?? null,
      closing: fundsAccount.closing?.minorUnits ?? null,
      entryCount: fundsAccount.entryCount,
    },
    fees: {
      opening: feesAccount.opening?.minorUnits ?? null,
      closing: feesAccount.closing?.minorUnits ?? null,
      entryCount: feesAccount.entryCount,
    },
    byType: byKey(movements.byType),
    other: byKey(movements.other),
    named: {
      captures: sumOf(movements.captures),
      refunds: sumOf(movements.refunds),
      captureFees: sumOf(movements.fees.captureFees),
      feesRetained: sumOf(movements.fees.retained),
      feesInvoiced: sumOf(movements.fees.invoiced),
      disputesRetained: sumOf(movements.disputes.retained),
      disputesReturned: sumOf(movements.disputes.returned),
      disputesNet: movements.disputes.net.minorUnits,
      payouts: sumOf(movements.payouts),
    },
    sales: {
      all: flatSales(sales.all),
      captures: flatSales(sales.captures),
      refunds: flatSales(sales.refunds),
      cash: flatSales(sales.cash),
      bySolution: Object.fromEntries(sales.bySolution.map((item) => [item.rawSolution ?? 'null', flatSales(item.totals)])),
      byPaymentType: Object.fromEntries(sales.byPaymentType.map((item) => [item.rawPaymentType ?? 'null', flatSales(item.totals)])),
      vat: canonicalVat(sales.vat),
    },
  };
}

const zeroSum: Sum = { count: 0, amount: 0 };

/** What a named tally must be: the sum of its entry type, in the gateway's order of accounts. */
const namedKeys = {
  captures: 'FUNDS capture',
  refunds: 'FUNDS refund',
  captureFees: 'FEES capture-fee',
  feesRetained: 'FUNDS fees-retained',
  feesInvoiced: 'FEES fees-invoiced',
  disputesRetained: 'FUNDS retained-disputed-capture',
  disputesReturned: 'FUNDS returned-disputed-capture',
  payouts: 'FUNDS payout-scheduled',
} as const;

export function expectedVat(vat: VatSums, gross: number) {
  const byRate = Object.fromEntries([...vat.byRate].map(([rate, total]) => [rate, total]));
  let net = vat.withoutRate.net;
  let tax = vat.withoutRate.vat;
  for (const total of vat.byRate.values()) {
    net += total.net;
    tax += total.vat;
  }
  return { gross, net, vat: tax, byRate, withoutRate: vat.withoutRate, lacking: vat.lacking };
}

/** The books of consecutive raw days, given the balances the accounts had before them. */
export function expectedBooks(days: readonly RawDay[], before: { funds: number | null; fees: number | null }) {
  const byType = Object.fromEntries([...movementsByType(days)]);
  const named = Object.fromEntries(Object.entries(namedKeys).map(([name, key]) => [name, byType[key] ?? zeroSum]));
  const mirrored = new Set<string>([...Object.values(namedKeys), 'FEES fees-retained']);
  const funds = balances(
    days.map((day) => day.funds),
    before.funds,
  );
  const fees = balances(
    days.map((day) => day.fees),
    before.fees,
  );
  const sums = salesSums(days.flatMap((day) => day.sales));
  const flat = (sum: SalesSum): Flat => ({ ...sum });
  return {
    isClosed: days.every((day) => day.funds.isClosed && day.fees.isClosed),
    openingBalance: funds.opening,
    closingBalance: funds.closing,
    funds: { ...funds, entryCount: days.reduce((count, day) => count + day.funds.entries.length, 0) },
    fees: { ...fees, entryCount: days.reduce((count, day) => count + day.fees.entries.length, 0) },
    byType,
    other: Object.fromEntries(Object.entries(byType).filter(([key]) => !mirrored.has(key))),
    named: {
      ...named,
      disputesNet: (byType[namedKeys.disputesRetained]?.amount ?? 0) + (byType[namedKeys.disputesReturned]?.amount ?? 0),
    },
    sales: {
      all: flat(sums.all),
      captures: flat(sums.captures),
      refunds: flat(sums.refunds),
      cash: flat(sums.cash),
      bySolution: Object.fromEntries([...sums.bySolution].map(([key, sum]) => [key, flat(sum)])),
      byPaymentType: Object.fromEntries([...sums.byPaymentType].map(([key, sum]) => [key, flat(sum)])),
      vat: expectedVat(sums.vat, sums.all.gross),
    },
  };
}

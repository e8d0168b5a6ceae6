import { describe, expect } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import { graphql } from '../gql/index.ts';
import type { ReconciliationFieldsFragment } from '../gql/graphql.ts';
import { today } from '../support/clock.ts';
import { narrow, present } from '../support/answers.ts';
import type { GraphClient } from '../support/graphql.ts';
import { it } from './harness.ts';
import type { RawLedgers, RawReportEntry, RawSale } from './raw.ts';

/**
 * Reconciliation matches every sale of the dates with its capture or refund entry and explains
 * every funds entry of the dates: with its sale, a sale of the date before, or a reason. The
 * expected outcome of each sale and movement is worked out here from the raw answers.
 */

export const ReconciliationFields = graphql(`
  fragment ReconciliationFields on Reconciliation {
    ledgerDates isFinal salesCount matchedCount cashSalesCount
    sales { outcome sale { pspReference } movement { ledgerDate pspReference } difference { minorUnits } }
    salesWithoutMovement { outcome sale { pspReference } }
    amountMismatches { sale { pspReference } }
    salesFromDateBefore { outcome sale { pspReference } movement { pspReference } }
    movementsWithoutSale { reason isExpected movement { entryType pspReference amount { minorUnits } } }
    totals {
      salesGross { minorUnits } bookedForSales { minorUnits } difference { minorUnits } mismatchDifference { minorUnits }
      pendingGross { minorUnits } unmatchedGross { minorUnits } bookedOnNextDate { minorUnits } earlierSalesAmount { minorUnits }
      withoutSaleAmount { minorUnits } unexpectedAmount { minorUnits } movementsAmount { minorUnits }
    }
  }
`);
type ReconciliationAnswer = ReconciliationFieldsFragment;

const DateReconciliation = graphql(`
  query DateReconciliation($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) { __typename ... on Ledger { reconciliation(date: $date) { ...ReconciliationFields } } }
  }
`);

const PayoutSales = graphql(`
  query PayoutSales($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) { __typename ... on Ledger { payouts(from: $from, to: $to) {
      amount { minorUnits } balanceAfter { minorUnits } openingBalance { minorUnits } coveredDates
      sales(first: 1000) { totalCount edges { node { gross { minorUnits } pspReference } } }
      reconciliation { ...ReconciliationFields }
    } } }
  }
`);

const saleKinds = new Set(['capture', 'refund']);

/** Why a funds entry without a sale has none, by the Report API's documented entry types. */
function expectedReason(entry: RawReportEntry): string | null {
  if (saleKinds.has(entry.entryType)) return entry.recipientHandle?.startsWith('api:') ? 'API_PAYMENT' : null;
  if (entry.entryType.endsWith('-disputed-capture')) return 'DISPUTE';
  if (!entry.recipientHandle || ['payout-scheduled', 'payout-aborted', 'fees-retained', 'top-up'].includes(entry.entryType)) return 'LEDGER_ENTRY';
  return 'ADJUSTMENT';
}

/** What reconciling one date must answer, from the raw dates around it. */
async function expectedReconciliation(raw: RawLedgers, ledgerId: string, date: string) {
  const [before, day, after] = await Promise.all([-1, 0, 1].map((lag) => raw.day(ledgerId, addDays(date, lag))));
  if (before === undefined || day === undefined || after === undefined) throw new Error('three dates were read');
  const booked = new Map<string, { entry: RawReportEntry; date: string }>();
  for (const { entries, date: on } of [{ ...day.funds }, { ...after.funds }]) {
    for (const entry of entries) {
      if (saleKinds.has(entry.entryType) && entry.pspReference && !booked.has(entry.pspReference)) booked.set(entry.pspReference, { entry, date: on });
    }
  }
  const open = !day.funds.isClosed || !after.funds.isClosed;
  const moving = day.sales.filter((sale) => sale.pspReference !== null);
  const outcomes = moving.map((sale: RawSale) => {
    const found = booked.get(sale.pspReference ?? '');
    if (found === undefined) return { sale, outcome: open ? 'PENDING' : 'UNMATCHED', found };
    if (found.entry.amount !== sale.amounts.gross) return { sale, outcome: 'AMOUNT_MISMATCH', found };
    return { sale, outcome: found.date === date ? 'MATCHED' : 'BOOKED_NEXT_DATE', found };
  });
  const claimed = new Set(outcomes.flatMap((item) => (item.found ? [item.found.entry] : [])));
  const earlier = new Set(before.sales.flatMap((sale) => (sale.pspReference ? [sale.pspReference] : [])));
  const fromBefore = day.funds.entries.filter(
    (entry) => !claimed.has(entry) && saleKinds.has(entry.entryType) && earlier.has(entry.pspReference ?? '') && booked.get(entry.pspReference ?? '')?.entry === entry,
  );
  const withoutSale = day.funds.entries.filter((entry) => !claimed.has(entry) && !fromBefore.includes(entry));
  return { day, outcomes, fromBefore, withoutSale, cash: day.sales.length - moving.length, isFinal: !open };
}

function checkAgainstRaw(answer: ReconciliationAnswer, expected: Awaited<ReturnType<typeof expectedReconciliation>>): void {
  expect(answer.isFinal).toBe(expected.isFinal);
  expect(answer.cashSalesCount).toBe(expected.cash);
  expect(answer.sales.map((item) => [item.sale.pspReference, item.outcome, item.movement?.ledgerDate ?? null])).toEqual(
    expected.outcomes.map((item) => [item.sale.pspReference, item.outcome, item.found?.date ?? null]),
  );
  expect(answer.matchedCount).toBe(expected.outcomes.filter((item) => item.outcome === 'MATCHED' || item.outcome === 'BOOKED_NEXT_DATE').length);
  expect(answer.salesFromDateBefore.map((item) => item.sale.pspReference)).toEqual(expected.fromBefore.map((entry) => entry.pspReference));
  expect(answer.movementsWithoutSale.map((item) => [item.movement.entryType, item.movement.pspReference, item.reason, item.isExpected])).toEqual(
    expected.withoutSale.map((entry) => [entry.entryType, entry.pspReference ?? null, expectedReason(entry), expectedReason(entry) !== null]),
  );

  // The totals add up both ways: what was sold against what was booked for it, and every entry
  // of the date accounted for once.
  const { totals } = answer;
  const t = (key: Exclude<keyof typeof totals, '__typename'>) => totals[key].minorUnits;
  expect(t('salesGross')).toBe(expected.outcomes.reduce((sum, item) => sum + item.sale.amounts.gross, 0));
  expect(t('difference')).toBe(t('bookedForSales') - t('salesGross'));
  expect(t('difference')).toBe(t('mismatchDifference') - t('pendingGross') - t('unmatchedGross'));
  expect(t('movementsAmount')).toBe(expected.day.funds.entries.reduce((sum, entry) => sum + entry.amount, 0));
  expect(t('movementsAmount')).toBe(t('bookedForSales') - t('bookedOnNextDate') + t('earlierSalesAmount') + t('withoutSaleAmount'));
}

describe('reconciliation', () => {
  const reconcile = async (gateway: GraphClient, ledgerId: string, date: string) => {
    const answer = await gateway.execute(DateReconciliation, { ledgerId, date });
    return present(narrow(answer.ledger, 'Ledger').reconciliation, 'reconciliation');
  };

  it('matches every sale of closed dates, past the cut-off included, and gives every other movement its reason', async ({ emulator, gateway, raw }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && candidate.cutoffHour === 4);
    const byDate = new Map<string, ReconciliationAnswer>();
    for (let back = 2; back <= 8; back++) {
      const date = addDays(today, -back);
      const [reconciliation, expected] = await Promise.all([reconcile(gateway, ledger.ledgerId, date), expectedReconciliation(raw, ledger.ledgerId, date)]);
      checkAgainstRaw(reconciliation, expected);
      expect(reconciliation.isFinal).toBe(true);
      expect(reconciliation.salesWithoutMovement).toEqual([]);
      expect(reconciliation.totals.difference?.minorUnits).toBe(0);
      expect(reconciliation.matchedCount).toBe(reconciliation.salesCount);
      byDate.set(date, reconciliation);
    }
    // A sale booked past the cut-off on D+1 is the one D+1 finds among the sales of the date before.
    let lateSales = 0;
    for (let back = 3; back <= 8; back++) {
      const late = byDate.get(addDays(today, -back))?.sales.filter((item) => item.outcome === 'BOOKED_NEXT_DATE') ?? [];
      const carried = byDate.get(addDays(today, -back + 1))?.salesFromDateBefore ?? [];
      expect(carried.map((item) => item.sale.pspReference).sort()).toEqual(late.map((item) => item.sale.pspReference).sort());
      lateSales += late.length;
    }
    expect(lateSales).toBeGreaterThan(0);
  });

  it('expects no sale for an ePayment ledger: the Sales API does not cover API payments', async ({ emulator, gateway, raw }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'epayment');
    const date = addDays(today, -3);
    const [reconciliation, expected] = await Promise.all([reconcile(gateway, ledger.ledgerId, date), expectedReconciliation(raw, ledger.ledgerId, date)]);
    checkAgainstRaw(reconciliation, expected);
    expect(reconciliation.salesCount).toBe(0);
    const reasons = new Set(reconciliation.movementsWithoutSale.map((item) => item.reason));
    expect(reasons.has('API_PAYMENT')).toBe(true);
    expect(reasons.has('LEDGER_ENTRY')).toBe(true);
    expect(reconciliation.movementsWithoutSale.every((item) => item.isExpected)).toBe(true);
    expect(reconciliation.totals.unexpectedAmount?.minorUnits).toBe(0);
  });

  it('keeps sales pending while a date they can land on is open, and is not final then', async ({ emulator, gateway, raw }) => {
    const ledger = await emulator.ledger((candidate) => candidate.busiest);
    for (const date of [today, addDays(today, -1)]) {
      const [reconciliation, expected] = await Promise.all([reconcile(gateway, ledger.ledgerId, date), expectedReconciliation(raw, ledger.ledgerId, date)]);
      checkAgainstRaw(reconciliation, expected);
      expect(reconciliation.isFinal).toBe(false);
      expect(reconciliation.salesWithoutMovement.every((item) => item.outcome === 'PENDING')).toBe(true);
    }
  });

  it('of a payout lists the sales it pays for, and they add up to it with the other movements', async ({ emulator, gateway, raw }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && candidate.cutoffHour === 4);
    const answer = await gateway.execute(PayoutSales, { ledgerId: ledger.ledgerId, from: addDays(today, -8), to: addDays(today, -2) });
    const payouts = present(narrow(answer.ledger, 'Ledger').payouts, 'payouts');
    expect(payouts.length).toBeGreaterThan(3);
    for (const payout of payouts) {
      const reconciliation = present(payout.reconciliation, 'reconciliation');
      const sales = present(payout.sales, 'sales');
      const coveredDates = present(payout.coveredDates, 'coveredDates');
      expect(reconciliation.ledgerDates).toEqual(coveredDates);
      const covered = await Promise.all(coveredDates.map((date) => raw.account(ledger.ledgerId, 'funds', date)));
      const saleMovements = covered.flatMap((day) => day.entries.filter((entry) => saleKinds.has(entry.entryType)));
      expect(sales.totalCount).toBe(saleMovements.length);
      expect(sales.edges.map((edge) => edge.node.pspReference).sort()).toEqual(saleMovements.map((entry) => entry.pspReference).sort());
      const salesGross = sales.edges.reduce((sum, edge) => sum + present(edge.node.gross, 'gross').minorUnits, 0);
      const withoutSale = reconciliation.movementsWithoutSale.reduce((sum, item) => sum + item.movement.amount.minorUnits, 0);
      // What the payout paid = what it opened with + its sales + everything else booked on its dates.
      expect(present(payout.openingBalance, 'openingBalance').minorUnits + salesGross + withoutSale).toBe(payout.balanceAfter.minorUnits);
    }
  });
});

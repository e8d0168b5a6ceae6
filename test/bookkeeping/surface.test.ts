import { isEnumType, isInterfaceType, isObjectType } from 'graphql';
import { describe, expect } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import { schema } from '../../src/schema/index.ts';
import { graphql } from '../gql/index.ts';
import { today } from '../support/clock.ts';
import { narrow, present } from '../support/answers.ts';
import { it } from './harness.ts';

/** Every bookkeeping field answers on real data, and every type and field says what it is. */

const bookkeepingTypes = [
  'LedgerBooks', 'LedgerDay', 'LedgerPeriod', 'AccountBalances', 'MovementTally', 'MovementTypeTally', 'MovementTotals',
  'FeeTotals', 'DisputeTotals', 'SalesTally', 'SolutionSalesTally', 'PaymentTypeSalesTally', 'SalesTotals', 'VatBreakdown',
  'VatRateTotal', 'VatWithoutRate', 'VatGap', 'VatSummary', 'Payout', 'PayoutResult', 'SaleListConnection', 'SaleListEdge',
  'Reconciliation', 'ReconciledSale', 'MovementWithoutSale', 'ReconciliationTotals', 'SaleReconciliationOutcome',
  'MovementWithoutSaleReason', 'Order', 'Ledger',
];

const Everything = graphql(`
  query SurfaceEverything($ledgerId: String!, $date: Date!, $from: Date!, $payoutNumber: String!, $reference: String!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        day(date: $date) {
          __typename ledgerId ledger { ledgerId } date isClosed openingBalance { decimal } closingBalance { decimal }
          fundsAccount { opening { decimal } closing { decimal } change { decimal } entryCount }
          feesAccount { opening { decimal } closing { decimal } change { decimal } entryCount }
          movements { byType { topic kind entryType count amount { decimal } } }
          sales { bySolution { solution rawSolution totals { count } } byPaymentType { paymentType rawPaymentType totals { count } } }
          payouts { payoutId }
          payout {
            ledgerId ledger { ledgerId } payoutId payoutNumber date time amount { decimal } bankText balanceAfter { decimal }
            entry { kind } coveredDates isCoverageComplete openingBalance { decimal } moneyMovements { kind }
            totals { captures { count } fees { captureFees { count } retained { count } invoiced { count } } disputes { net { decimal } } payouts { count } other { kind } }
            sales(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { pspReference } } }
            reconciliation { ledgerDates isFinal salesCount matchedCount cashSalesCount sales(outcomes: [MATCHED]) { outcome } }
          }
        }
        period(from: $from, to: $date) { __typename from to days { date } payouts { payoutNumber } isClosed }
        reconciliation(date: $date) {
          ledgerDates salesWithoutMovement { outcome } amountMismatches { difference { decimal } }
          salesFromDateBefore { sale { pspReference } movement { ledgerDate } difference { decimal } }
          movementsWithoutSale { reason isExpected movement { kind } } totals { difference { decimal } }
        }
        vatSummary(from: $from, to: $date) { from to isFinal breakdown { byRate { ratePercent } } salesLackingVat(first: 1) { totalCount } }
        payoutByNumber: payout(payoutNumber: $payoutNumber, near: $date) {
          __typename ... on Payout { payoutNumber } ... on NotFoundError { message resource key }
        }
      }
    }
    order(ledgerId: $ledgerId, reference: $reference) {
      __typename ... on Order { captured { decimal } refunded { decimal } net { decimal } fees { decimal } booked { decimal } disputed { decimal } }
    }
  }
`);

describe('the bookkeeping surface', () => {
  it('answers every field without an error', async ({ emulator, gateway, raw }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && candidate.settlement === 'daily' && candidate.reserve === 0);
    const date = addDays(today, -3);
    const [sale] = (await raw.day(ledger.ledgerId, date)).sales;
    if (sale === undefined) throw new Error('a daily Vippsnummer ledger sells every day');
    const payoutNumber = (await raw.account(ledger.ledgerId, 'funds', date)).entries.at(-1)?.pspReference?.split('-').pop() ?? '';
    const answer = await gateway.execute(Everything, {
      ledgerId: ledger.ledgerId,
      date,
      from: addDays(date, -6),
      payoutNumber,
      reference: sale.reference,
    });
    const day = present(narrow(answer.ledger, 'Ledger').day, 'day');
    expect(present(day.payout, 'payout').payoutNumber).toBe(payoutNumber);
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const name of bookkeepingTypes) {
      const type = schema.getType(name);
      if (type === undefined || type === null) {
        missing.push(`${name} (no such type)`);
        continue;
      }
      if (!type.description) missing.push(name);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${name}.${field.name}`);
          for (const argument of field.args) if (!argument.description) missing.push(`${name}.${field.name}(${argument.name})`);
        }
      }
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });
});

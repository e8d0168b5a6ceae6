import { describe, expect } from 'vitest';
import { payoutAbortWindowDays } from '../../src/bookkeeping/payouts.ts';
import { addDays, daysBetween } from '../../src/kernel/calendar.ts';
import { walkReportFeed, type ReportEntry } from '../emulator/support.ts';
import { graphql } from '../gql/index.ts';
import { narrow, present } from '../support/answers.ts';
import { today } from '../support/clock.ts';
import { PartnerClient } from '../support/partner-client.ts';
import { calls, routes } from '../support/routes.ts';
import { it } from './harness.ts';

/**
 * Which payout paid a sale, or a funds entry: the first `payout-scheduled` on or after the date its
 * money is booked on, and, when that one came back as `payout-aborted`, the next one after the
 * abort. Expected from the raw funds feed; batching proven by counting the emulator's date reads.
 */

const SalesPaid = graphql(`
  query SalesPaid($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        sales(date: $date, first: 1000) {
          edges { node { pspReference entryType payout { payoutId date status coveredDates } } }
        }
      }
    }
  }
`);

const MovementsPaid = graphql(`
  query MovementsPaid($ledgerId: String!, $date: Date!, $topic: MoneyMovementTopic!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        moneyMovements(date: $date, topic: $topic, first: 1000) {
          edges { node { entryType pspReference ledgerDate payout { payoutId } } }
        }
      }
    }
  }
`);

/** The payout of money booked on `date`, by the raw funds feed; null while none was scheduled since. */
function expectedPayout(funds: readonly ReportEntry[], date: string): ReportEntry | null {
  const nextFrom = (from: string) => funds.find((entry) => entry.entryType === 'payout-scheduled' && entry.ledgerDate >= from) ?? null;
  let payout = nextFrom(date);
  for (let step = 0; step < 2 && payout !== null; step++) {
    const abort = funds.find((entry) => entry.entryType === 'payout-aborted' && entry.pspReference === payout?.pspReference);
    if (abort === undefined) break;
    payout = nextFrom(abort.ledgerDate);
  }
  return payout;
}

describe('the payout that paid a sale', () => {
  it('names the payout of every sale of a date, following an aborted payout to the one that paid it again, at shared date reads', async ({ emulator, admin, gateway }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && candidate.events.payoutAborts && !candidate.busiest);
    const funds = (await walkReportFeed(new PartnerClient(emulator.url, emulator.partner), ledger.ledgerId, 'funds')).entries;
    const abort = present(
      funds.find((entry) => entry.entryType === 'payout-aborted' && entry.ledgerDate > addDays(ledger.firstLedgerDate, 40) && entry.ledgerDate < addDays(today, -3)),
      'an aborted payout with sales before it',
    );
    const aborted = present(funds.find((entry) => entry.entryType === 'payout-scheduled' && entry.pspReference === abort.pspReference), 'the aborted payout');
    const date = aborted.ledgerDate;

    await admin.resetStats();
    const answer = await gateway.execute(SalesPaid, { ledgerId: ledger.ledgerId, date });
    const sales = present(narrow(answer.ledger, 'Ledger').sales, 'sales').edges.map((edge) => edge.node);
    const paid = sales.filter((sale) => sale.pspReference !== null);
    expect(paid.length).toBeGreaterThan(5);
    let latest = date;
    for (const sale of paid) {
      const booked = present(
        funds.find((entry) => entry.pspReference === sale.pspReference && entry.entryType === sale.entryType.toLowerCase() && entry.ledgerDate <= addDays(date, 1)),
        `the funds entry of ${sale.pspReference}`,
      );
      const payout = present(expectedPayout(funds, booked.ledgerDate), 'a payout');
      expect(sale.payout, String(sale.pspReference)).toMatchObject({ payoutId: payout.pspReference, date: payout.ledgerDate });
      expect(sale.payout?.coveredDates).toContain(booked.ledgerDate);
      if (payout.ledgerDate > latest) latest = payout.ledgerDate;
    }
    // The sales on the aborted payout's date were paid by a later one, which reached the bank.
    expect(paid.some((sale) => sale.payout?.payoutId !== aborted.pspReference)).toBe(true);
    expect(new Set(paid.map((sale) => sale.payout?.status))).toEqual(new Set(['PAID']));
    for (const sale of sales.filter((candidate) => candidate.pspReference === null)) expect(sale.payout).toBeNull();
    // Every sale shares the funds dates from its date to the payout (and its abort window, and the
    // covered dates back): a bound of dates, whatever the number of sales.
    const reads = await calls(admin, routes.reportDate);
    expect(reads).toBeLessThanOrEqual(daysBetween(date, latest) + payoutAbortWindowDays + 2 + 62);
    expect(reads).toBeLessThan(paid.length * 2);
  });

  it('gives every funds entry of a date its payout, none to fees entries, and null where no payout is scheduled yet', async ({ emulator, gateway }) => {
    const ledger = await emulator.ledger((candidate) => candidate.settlement === 'weekly');
    const funds = (await walkReportFeed(new PartnerClient(emulator.url, emulator.partner), ledger.ledgerId, 'funds')).entries;
    for (const date of [addDays(today, -12), addDays(today, -1)]) {
      const answer = await gateway.execute(MovementsPaid, { ledgerId: ledger.ledgerId, date, topic: 'FUNDS' });
      const movements = present(narrow(answer.ledger, 'Ledger').moneyMovements, 'moneyMovements').edges.map((edge) => edge.node);
      expect(movements.length).toBeGreaterThan(0);
      const payout = expectedPayout(funds, date);
      for (const movement of movements) expect(movement.payout?.payoutId ?? null).toBe(payout?.pspReference ?? null);
      const fees = await gateway.execute(MovementsPaid, { ledgerId: ledger.ledgerId, date, topic: 'FEES' });
      for (const { node } of present(narrow(fees.ledger, 'Ledger').moneyMovements, 'moneyMovements').edges) expect(node.payout).toBeNull();
    }
    // The running week of a weekly ledger has no payout yet.
    expect(expectedPayout(funds, addDays(today, -1))).toBeNull();
  });
});

import { describe, expect } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import type { ReportEntry } from '../../src/sources/report/models.ts';
import { graphql } from '../gql/index.ts';
import { today } from '../support/clock.ts';
import { callsTo, routes } from '../support/routes.ts';
import { it, lateCaptures, ledgerListPages, pages, type DayData } from './fixtures.ts';

const Movements = graphql(`
  query Movements($ledgerId: String!, $date: Date!, $topic: MoneyMovementTopic!, $first: Int) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        moneyMovements(date: $date, topic: $topic, first: $first) {
          isClosed
          totalCount
          edges {
            node {
              topic
              kind
              entryType
              ledgerDate
              pspReference
              reference
              recipientHandle
              amount {
                minorUnits
                decimal
                currency
              }
              balanceBefore {
                minorUnits
              }
              balanceAfter {
                minorUnits
              }
              sale {
                pspReference
                reference
                gross {
                  minorUnits
                }
              }
            }
          }
        }
      }
    }
  }
`);

const OpenDaySales = graphql(`
  query OpenDaySales($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        sales(date: $date, first: 20) {
          edges {
            node {
              pspReference
              settlement {
                status
                ledgerDate
                checkedDates
              }
            }
          }
        }
      }
    }
  }
`);

const knownEntryTypes = new Set([
  'capture',
  'refund',
  'fees-retained',
  'payout-scheduled',
  'scheduled-for-payout',
  'payout-aborted',
  'retained-disputed-capture',
  'returned-disputed-capture',
  'correction',
  'top-up',
  'credit-note',
  'capture-fee',
  'fees-invoiced',
  'service-fee',
]);
/** What a sale books itself on its own date or the next; the rest of a sale's entries come later. */
const bookedWithItsSale = new Set(['capture', 'refund', 'capture-fee']);

describe('MoneyMovement (Report date → Sales)', () => {
  /** The date after the join day holds the join day's late captures. */
  const reportDay = (day: DayData) => ({ day, reportDate: day.fundsNext.date, funds: day.fundsNext.entries });

  it('costs a token, the ledger list, the funds date, its sales date and the one before, and a lookup per later entry of a sale', async ({ gateway, direct, admin, joinDay }) => {
    const { day, reportDate, funds } = reportDay(joinDay);
    const salesOnDate = await direct.sales.forDate(day.ledgerId, reportDate);
    const listPages = await ledgerListPages(admin, direct);

    // The test's gateway is cold: no token, nothing read yet.
    await gateway.execute(Movements, { ledgerId: day.ledgerId, date: reportDate, topic: 'FUNDS', first: 1000 });
    const stats = await admin.stats();

    const onDate = new Set(salesOnDate.map((sale) => sale.pspReference));
    // What a sale books later (a dispute, an adjustment) can come at any distance: it is looked up by its pspReference.
    const laterLookups = new Set(
      funds.filter((entry) => !bookedWithItsSale.has(entry.entryType) && entry.recipientHandle && !entry.recipientHandle.startsWith('api:')).map((entry) => entry.pspReference),
    );
    // Captures and refunds not among the date's own sales are looked for on the date before.
    const needsDateBefore = funds.some(
      (entry) =>
        ['capture', 'refund'].includes(entry.entryType) && entry.recipientHandle && !onDate.has(entry.pspReference ?? null),
    );
    expect(needsDateBefore).toBe(true);
    expect(stats.routes).toEqual({
      [routes.token]: 1,
      [routes.ledgers]: listPages,
      [routes.reportDate]: pages(funds.length, 1000),
      [routes.salesDate]: pages(salesOnDate.length, 1000) + pages(day.sales.length, 1000),
      ...(laterLookups.size > 0 ? { [routes.salesByPspReference]: laterLookups.size } : {}),
    });
  });

  it('finds the sale of every capture and refund, also one captured past the cut-off on the date before', async ({ gateway, joinDay }) => {
    const { day, reportDate, funds } = reportDay(joinDay);
    const answer = await gateway.execute(Movements, { ledgerId: day.ledgerId, date: reportDate, topic: 'FUNDS', first: 1000 });
    if (answer.ledger?.__typename !== 'Ledger') throw new Error('expected the ledger');
    const connection = answer.ledger.moneyMovements;
    expect(connection).toMatchObject({ isClosed: true, totalCount: funds.length });
    const nodes = connection?.edges.map((edge) => edge.node) ?? [];
    expect(nodes.map((node) => node.pspReference)).toEqual(funds.map((entry) => entry.pspReference ?? null));

    for (const node of nodes) {
      expect(node.balanceAfter.minorUnits).toBe(node.balanceBefore.minorUnits + node.amount.minorUnits);
      if (node.kind === 'CAPTURE' || node.kind === 'REFUND') {
        expect(node.sale).toMatchObject({
          pspReference: node.pspReference,
          reference: node.reference,
          gross: { minorUnits: node.amount.minorUnits },
        });
      }
      if (node.kind === 'PAYOUT_SCHEDULED' || node.kind === 'FEES_RETAINED') expect(node.sale).toBeNull();
    }
    const late = lateCaptures(day).map((sale) => sale.pspReference);
    expect(late.length).toBeGreaterThan(0);
    for (const pspReference of late) {
      expect(nodes.find((node) => node.pspReference === pspReference)?.sale?.pspReference).toBe(pspReference);
    }
  });

  it("finds the sale behind every capture fee, on the fee's date or the one before", async ({ gateway, joinDay }) => {
    const { day, reportDate } = reportDay(joinDay);
    const answer = await gateway.execute(Movements, { ledgerId: day.ledgerId, date: reportDate, topic: 'FEES', first: 1000 });
    if (answer.ledger?.__typename !== 'Ledger') throw new Error('expected the ledger');
    const fees = answer.ledger.moneyMovements?.edges.map((edge) => edge.node).filter((node) => node.kind === 'CAPTURE_FEE') ?? [];
    expect(fees.length).toBeGreaterThan(0);
    for (const fee of fees) {
      expect(fee.topic).toBe('FEES');
      expect(fee.sale?.pspReference).toBe(fee.pspReference);
    }
  });

  it('serves an entry type it does not know as UNKNOWN with the raw string, without failing', async ({ gateway, direct, emulator }) => {
    let found: { ledgerId: string; date: string; entry: ReportEntry } | null = null;
    for (const ledgerId of emulator.partner.ledgerIds) {
      for (let back = 2; back <= 30 && found === null; back++) {
        const date = addDays(today, -back);
        const entry = (await direct.report.forDate(ledgerId, 'funds', date)).entries.find(
          (candidate) => !knownEntryTypes.has(candidate.entryType),
        );
        if (entry) found = { ledgerId, date, entry };
      }
      if (found) break;
    }
    if (found === null) throw new Error('the emulator should book an entry type the gateway does not know');
    const answer = await gateway.execute(Movements, { ledgerId: found.ledgerId, date: found.date, topic: 'FUNDS', first: 1000 });
    if (answer.ledger?.__typename !== 'Ledger') throw new Error('expected the ledger');
    const unknown = answer.ledger.moneyMovements?.edges.map((edge) => edge.node).filter((node) => node.kind === 'UNKNOWN') ?? [];
    expect(unknown.map((node) => node.entryType)).toContain(found.entry.entryType);
  });

  it('tells an open date: the connection is not closed and its sales are PENDING', async ({ gateway, emulator, admin, openGateway }) => {
    const busiest = (await emulator.ledgers()).find((ledger) => ledger.busiest && emulator.partner.ledgerIds.includes(ledger.ledgerId));
    if (busiest === undefined) throw new Error('the demo partner should have the busiest ledger');
    const movements = await gateway.execute(Movements, { ledgerId: busiest.ledgerId, date: today, topic: 'FUNDS', first: 5 });
    if (movements.ledger?.__typename !== 'Ledger') throw new Error('expected the ledger');
    expect(movements.ledger.moneyMovements?.isClosed).toBe(false);

    // A gateway of its own: the first keeps the open date it just read for a while.
    const cold = await openGateway();
    await admin.resetStats();
    const sales = await cold.execute(OpenDaySales, { ledgerId: busiest.ledgerId, date: today });
    if (sales.ledger?.__typename !== 'Ledger') throw new Error('expected the ledger');
    const nodes = sales.ledger.sales?.edges.map((edge) => edge.node) ?? [];
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) expect(node.settlement).toMatchObject({ status: 'PENDING', checkedDates: [today] });
    // Nothing can be booked after an open date: the next date is never asked for.
    expect(callsTo(await admin.stats(), routes.reportDate)).toBe(1);
  });
});

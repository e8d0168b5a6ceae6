import { describe, expect } from 'vitest';
import type { SalesEntry } from '../../src/sources/sales/models.ts';
import { graphql } from '../gql/index.ts';
import { routes } from '../support/routes.ts';
import { it, lateCaptures, ledgerListPages, pages, type DayData } from './fixtures.ts';

const JoinDay = graphql(`
  query JoinDay($ledgerId: String!, $date: Date!, $first: Int) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        ledgerId
        sales(date: $date, first: $first) {
          totalCount
          pageInfo {
            hasNextPage
          }
          edges {
            node {
              id
              kind
              entryType
              reference
              pspReference
              paymentType
              gross {
                minorUnits
                currency
                decimal
              }
              orderLines {
                lineId
                quantity
                unitPriceGross {
                  minorUnits
                }
                discount {
                  minorUnits
                }
                lineTotalGross {
                  minorUnits
                }
                lineTotalNet {
                  minorUnits
                }
                vatAmount {
                  minorUnits
                }
                vatRate {
                  basisPoints
                  percent
                }
              }
              completeness {
                hasLineItems
                hasVatBreakdown
              }
              captures {
                kind
                ledgerDate
                pspReference
                reference
                amount {
                  minorUnits
                }
              }
              fees {
                kind
                ledgerDate
                pspReference
                amount {
                  minorUnits
                }
              }
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

/** The sale's entries of one account over the Report dates given, in date order. */
function entriesFor(sale: SalesEntry, ...days: DayData['funds'][]) {
  return days.flatMap((day) => day.entries.filter((entry) => entry.pspReference === sale.pspReference));
}

describe('Sale joins (Sales date → Report funds and fees)', () => {
  it('costs exactly a token, the ledger list, the sales pages and two dates per account, cold', async ({ gateway, direct, admin, joinDay: day }) => {
    const listPages = await ledgerListPages(admin, direct);

    // The test's gateway is cold: no token, nothing read yet.
    const answer = await gateway.execute(JoinDay, { ledgerId: day.ledgerId, date: day.date, first: 1000 });
    const stats = await admin.stats();

    const withPsp = day.sales.filter((sale) => sale.pspReference !== null);
    const fundsDates = lateCaptures(day).length > 0 ? [day.funds, day.fundsNext] : [day.funds];
    // A capture may have a second fee on the next date, so fees read both dates of a closed day.
    const feesDates = withPsp.length > 0 && day.fees.isClosed ? [day.fees, day.feesNext] : [day.fees];
    const reportPages = [...fundsDates, ...feesDates].reduce((sum, date) => sum + pages(date.entries.length, 1000), 0);
    expect(stats.routes).toEqual({
      [routes.token]: 1,
      [routes.ledgers]: listPages,
      [routes.salesDate]: pages(day.sales.length, 1000),
      [routes.reportDate]: reportPages,
    });
    expect(fundsDates).toHaveLength(2);
    expect(stats.total).toBe(1 + listPages + pages(day.sales.length, 1000) + reportPages);

    expect(answer.ledger?.__typename).toBe('Ledger');
    if (answer.ledger?.__typename !== 'Ledger') return;
    expect(answer.ledger.sales?.totalCount).toBe(day.sales.length);
    expect(answer.ledger.sales?.edges).toHaveLength(day.sales.length);
  });

  it('joins every sale to exactly its funds and fees entries, including captures booked on the next date', async ({ gateway, joinDay: day }) => {
    const answer = await gateway.execute(JoinDay, { ledgerId: day.ledgerId, date: day.date, first: 1000 });
    if (answer.ledger?.__typename !== 'Ledger') throw new Error('expected the ledger');
    const nodes = answer.ledger.sales?.edges.map((edge) => edge.node) ?? [];
    const late = new Set(lateCaptures(day).map((sale) => sale.pspReference));

    nodes.forEach((node, index) => {
      const sale = day.sales[index];
      if (sale === undefined) throw new Error('more sales answered than upstream has');
      expect(node.pspReference).toBe(sale.pspReference);
      const funds = late.has(sale.pspReference) ? entriesFor(sale, day.fundsNext) : entriesFor(sale, day.funds);
      expect(node.captures?.map((entry) => [entry.ledgerDate, entry.amount.minorUnits])).toEqual(
        funds.map((entry) => [entry.ledgerDate, entry.amount]),
      );
      expect(node.fees?.map((entry) => [entry.ledgerDate, entry.amount.minorUnits])).toEqual(
        entriesFor(sale, day.fees, day.feesNext).map((entry) => [entry.ledgerDate, entry.amount]),
      );
      if (sale.pspReference !== null) {
        // Every capture and refund is booked once, with the sale's reference and amount.
        expect(node.captures?.[0]).toMatchObject({ reference: sale.reference, amount: { minorUnits: sale.amounts?.gross } });
        expect(node.settlement).toMatchObject({ status: 'SETTLED', ledgerDate: node.captures?.[0]?.ledgerDate });
      }
    });

    const lateNode = nodes.find((node) => late.has(node.pspReference));
    expect(lateNode?.captures?.[0]?.ledgerDate).not.toBe(day.date);
    expect(lateNode?.settlement?.checkedDates).toHaveLength(2);
    // Some capture here has a fee on each of the two dates; both are found.
    expect(nodes.some((node) => new Set(node.fees?.map((fee) => fee.ledgerDate)).size === 2)).toBe(true);
  });

  it('serves order lines and amounts exactly, in minor units and decimals', async ({ gateway, joinDay: day }) => {
    const answer = await gateway.execute(JoinDay, { ledgerId: day.ledgerId, date: day.date, first: 1000 });
    if (answer.ledger?.__typename !== 'Ledger') throw new Error('expected the ledger');
    const nodes = answer.ledger.sales?.edges.map((edge) => edge.node) ?? [];
    const withLines = nodes.filter((node) => node.orderLines.length > 0);
    expect(withLines.length).toBeGreaterThan(0);
    for (const node of nodes) {
      const gross = node.gross?.minorUnits ?? 0;
      expect(node.gross?.decimal).toBe(
        `${gross < 0 ? '-' : ''}${Math.floor(Math.abs(gross) / 100)}.${String(Math.abs(gross) % 100).padStart(2, '0')}`,
      );
      for (const line of node.orderLines) {
        if (line.unitPriceGross && line.lineTotalGross) {
          expect(line.unitPriceGross.minorUnits * line.quantity - (line.discount?.minorUnits ?? 0)).toBe(
            line.lineTotalGross.minorUnits,
          );
        }
        if (line.vatRate) expect(line.vatRate.percent).toBe((line.vatRate.basisPoints / 100).toFixed(2));
      }
      if (node.completeness?.hasLineItems) {
        expect(node.orderLines.reduce((sum, line) => sum + (line.lineTotalGross?.minorUnits ?? 0), 0)).toBe(gross);
      }
    }
  });

  it('pages a date with cursors without another upstream call', async ({ gateway, joinDay: day }) => {
    const first = await gateway.execute(JoinDay, { ledgerId: day.ledgerId, date: day.date, first: 10 });
    if (first.ledger?.__typename !== 'Ledger') throw new Error('expected the ledger');
    expect(first.ledger.sales?.edges).toHaveLength(10);
    expect(first.ledger.sales?.pageInfo.hasNextPage).toBe(true);
    expect(first.ledger.sales?.edges.map((edge) => edge.node.pspReference)).toEqual(
      day.sales.slice(0, 10).map((sale) => sale.pspReference),
    );
  });
});

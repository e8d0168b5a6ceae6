import { describe, expect } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import { graphql } from '../gql/index.ts';
import { today } from '../support/clock.ts';
import { callsTo, routes } from '../support/routes.ts';
import { it, lateCaptures } from './fixtures.ts';

const SaleByPsp = graphql(`
  query LookupSale($ledgerId: String!, $pspReference: String!) {
    sale(ledgerId: $ledgerId, pspReference: $pspReference) {
      __typename
      ... on NotFoundError {
        message
        resource
        key
      }
      ... on Sale {
        id
        ledgerId
        ledger {
          ledgerId
        }
        pspReference
        reference
        time
        captures {
          ledgerDate
          amount {
            minorUnits
          }
        }
        fees {
          ledgerDate
          amount {
            minorUnits
          }
        }
        moneyMovements {
          topic
          kind
        }
        settlement {
          status
          ledgerDate
        }
        order {
          reference
          sales {
            pspReference
          }
          moneyMovements {
            topic
            kind
            pspReference
          }
        }
      }
    }
  }
`);

const OrderByReference = graphql(`
  query LookupOrder($ledgerId: String!, $reference: String!) {
    order(ledgerId: $ledgerId, reference: $reference) {
      __typename
      ... on NotFoundError {
        resource
        key
      }
      ... on Order {
        reference
        ledger {
          ledgerId
        }
        sales {
          pspReference
          kind
        }
        moneyMovements {
          topic
          kind
          pspReference
          reference
        }
      }
    }
  }
`);

const SaleNode = graphql(`
  query LookupSaleNode($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Sale {
        pspReference
        reference
        paymentType
        captures {
          kind
        }
        fees {
          kind
        }
        settlement {
          status
          checkedDates
        }
      }
      ... on Ledger {
        ledgerId
      }
    }
  }
`);

const DaySaleIds = graphql(`
  query LookupDaySaleIds($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        id
        sales(date: $date, first: 1000) {
          edges {
            node {
              id
              pspReference
              paymentType
            }
          }
        }
      }
    }
  }
`);

const NodesTwice = graphql(`
  query LookupNodesTwice($sale: ID!, $ledger: ID!) {
    first: node(id: $sale) {
      __typename
      id
    }
    again: node(id: $sale) {
      __typename
      id
    }
    ledger: node(id: $ledger) {
      __typename
      id
    }
    ledgerAgain: node(id: $ledger) {
      __typename
      id
    }
  }
`);

describe('lookups: Query.sale, Query.order and Query.node', () => {
  it('finds a sale by pspReference with its joins, also a capture past the cut-off of a 04:00 ledger', async ({ gateway, joinDay: day }) => {
    for (const sale of [...lateCaptures(day), ...day.sales.slice(0, 3)]) {
      const answer = await gateway.execute(SaleByPsp, { ledgerId: day.ledgerId, pspReference: sale.pspReference ?? '' });
      expect(answer.sale?.__typename).toBe('Sale');
      if (answer.sale?.__typename !== 'Sale') continue;
      expect(answer.sale).toMatchObject({
        ledgerId: day.ledgerId,
        ledger: { ledgerId: day.ledgerId },
        reference: sale.reference,
      });
      expect(answer.sale.captures?.map((entry) => entry.amount.minorUnits)).toEqual([sale.amounts?.gross]);
      expect(answer.sale.settlement?.status).toBe('SETTLED');
      const expectedFees = [...day.fees.entries, ...day.feesNext.entries].filter(
        (entry) => entry.pspReference === sale.pspReference,
      );
      expect(answer.sale.fees?.map((entry) => entry.amount.minorUnits)).toEqual(expectedFees.map((entry) => entry.amount));
      expect(answer.sale.moneyMovements).toHaveLength(1 + expectedFees.length);
      expect(answer.sale.order?.reference).toBe(sale.reference);
      expect(answer.sale.order?.sales?.map((entry) => entry.pspReference)).toContain(sale.pspReference);
      expect(
        answer.sale.order?.moneyMovements?.some((entry) => entry.pspReference === sale.pspReference && entry.topic === 'FUNDS'),
      ).toBe(true);
    }
  });

  it('answers an unknown pspReference, an unknown reference and a ledger not granted as NotFoundError data', async ({ gateway, emulator, joinDay: day }) => {
    const traits = await emulator.ledgers();
    const notGranted = traits.find((ledger) => !ledger.grantedTo.includes(emulator.partner.clientId))?.ledgerId ?? '';
    expect((await gateway.execute(SaleByPsp, { ledgerId: day.ledgerId, pspReference: 'no-such-psp' })).sale).toMatchObject({
      __typename: 'NotFoundError',
      resource: 'Sale',
    });
    expect((await gateway.execute(SaleByPsp, { ledgerId: notGranted, pspReference: 'x' })).sale).toMatchObject({
      __typename: 'NotFoundError',
      resource: 'Ledger',
      key: notGranted,
    });
    expect((await gateway.execute(OrderByReference, { ledgerId: day.ledgerId, reference: 'no-such-order' })).order).toMatchObject({
      __typename: 'NotFoundError',
      resource: 'Order',
    });
    expect((await gateway.execute(OrderByReference, { ledgerId: notGranted, reference: 'x' })).order).toMatchObject({
      __typename: 'NotFoundError',
      resource: 'Ledger',
    });
  });

  it('serves an order with every sale and movement under its reference', async ({ gateway, direct, joinDay: day }) => {
    const sale = day.sales.find((entry) => entry.pspReference !== null);
    if (sale === undefined) throw new Error('expected a sale with a pspReference');
    const answer = await gateway.execute(OrderByReference, { ledgerId: day.ledgerId, reference: sale.reference });
    if (answer.order?.__typename !== 'Order') throw new Error('expected the order');
    const upstream = await direct.sales.byReference(day.ledgerId, sale.reference);
    expect(answer.order.sales?.map((entry) => entry.pspReference)).toEqual(upstream.map((entry) => entry.pspReference));
    expect(answer.order.moneyMovements?.every((entry) => entry.reference === sale.reference)).toBe(true);
    expect(answer.order.moneyMovements?.filter((entry) => entry.topic === 'FUNDS').map((entry) => entry.pspReference)).toEqual(
      expect.arrayContaining(upstream.map((entry) => entry.pspReference)),
    );
  });

  it('fetches a sale and a ledger again by their global ids', async ({ gateway, joinDay: day }) => {
    const listed = await gateway.execute(DaySaleIds, { ledgerId: day.ledgerId, date: day.date });
    if (listed.ledger?.__typename !== 'Ledger') throw new Error('expected the ledger');
    const first = listed.ledger.sales?.edges[0]?.node;
    const again = await gateway.execute(SaleNode, { id: first?.id ?? '' });
    expect(again.node).toMatchObject({ __typename: 'Sale', id: first?.id, pspReference: first?.pspReference });
    const ledger = await gateway.execute(SaleNode, { id: listed.ledger.id });
    expect(ledger.node).toMatchObject({ __typename: 'Ledger', ledgerId: day.ledgerId });
  });

  it('answers the same global id asked twice in one document twice', async ({ gateway, joinDay: day }) => {
    const listed = await gateway.execute(DaySaleIds, { ledgerId: day.ledgerId, date: day.date });
    if (listed.ledger?.__typename !== 'Ledger') throw new Error('expected the ledger');
    const sale = listed.ledger.sales?.edges[0]?.node.id ?? '';
    const answer = await gateway.execute(NodesTwice, { sale, ledger: listed.ledger.id });
    expect(answer).toEqual({
      first: { __typename: 'Sale', id: sale },
      again: { __typename: 'Sale', id: sale },
      ledger: { __typename: 'Ledger', id: listed.ledger.id },
      ledgerAgain: { __typename: 'Ledger', id: listed.ledger.id },
    });
  });

  it('answers a cash sale NOT_APPLICABLE without asking the Report API', async ({ gateway, emulator, admin, openGateway }) => {
    const mpos = (await emulator.ledgers()).filter(
      (ledger) => ledger.kind === 'mpos' && emulator.partner.ledgerIds.includes(ledger.ledgerId),
    );
    let cash: { id: string } | null = null;
    for (const ledger of mpos) {
      for (let back = 2; back <= 14 && cash === null; back++) {
        const listed = await gateway.execute(DaySaleIds, { ledgerId: ledger.ledgerId, date: addDays(today, -back) });
        if (listed.ledger?.__typename !== 'Ledger') continue;
        cash = listed.ledger.sales?.edges.map((edge) => edge.node).find((node) => node.paymentType === 'CASH') ?? null;
      }
      if (cash) break;
    }
    if (cash === null) throw new Error('the emulator should have mPOS cash sales');
    const client = await openGateway();
    await admin.resetStats();
    const answer = await client.execute(SaleNode, { id: cash.id });
    expect(answer.node).toMatchObject({
      __typename: 'Sale',
      pspReference: null,
      captures: [],
      fees: [],
      settlement: { status: 'NOT_APPLICABLE', checkedDates: [] },
    });
    const stats = await admin.stats();
    expect(callsTo(stats, routes.reportDate)).toBe(0);
    expect(callsTo(stats, routes.salesByReference)).toBe(1);
  });
});

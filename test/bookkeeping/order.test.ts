import { describe, expect } from 'vitest';
import { addDays, datesFrom } from '../../src/kernel/calendar.ts';
import { graphql } from '../gql/index.ts';
import { today } from '../support/clock.ts';
import { narrow } from '../support/answers.ts';
import { it } from './harness.ts';
import type { RawDay } from './raw.ts';

/**
 * An order's totals equal sums of its own Sales entries and of the Report entries with its
 * reference, worked out here from the raw dates around it.
 */

const OrderTotals = graphql(`
  query OrderTotals($ledgerId: String!, $reference: String!) {
    order(ledgerId: $ledgerId, reference: $reference) {
      __typename
      ... on Order {
        reference
        sales { kind gross { minorUnits } }
        moneyMovements { topic entryType amount { minorUnits } }
        captured { minorUnits currency } refunded { minorUnits currency } net { minorUnits currency }
        fees { minorUnits currency } booked { minorUnits currency } disputed { minorUnits currency }
      }
    }
  }
`);

/** Every entry with the reference on the raw dates, by account. */
function entriesOf(days: readonly RawDay[], reference: string) {
  return {
    funds: days.flatMap((day) => day.funds.entries.filter((entry) => entry.reference === reference)),
    fees: days.flatMap((day) => day.fees.entries.filter((entry) => entry.reference === reference)),
  };
}

describe('orders', () => {
  it('sum their captures, refunds, fees and disputes exactly', async ({ emulator, gateway, raw }) => {
    const ledger = await emulator.ledger((candidate) => candidate.reserve > 0);
    const days = await raw.days(ledger.ledgerId, datesFrom(addDays(today, -16), addDays(today, -2)));
    const window = days.slice(2);
    const refunded = window.flatMap((day) => day.sales.filter((sale) => sale.entryType === 'refund')).slice(0, 3);
    // Disputes retained the date after the capture and not (yet) returned: within the dates an order reads.
    const returned = new Set(days.flatMap((day) => day.funds.entries.filter((entry) => entry.entryType === 'returned-disputed-capture').map((entry) => entry.pspReference)));
    const disputed = window
      .flatMap((day) => day.funds.entries.filter((entry) => entry.entryType === 'retained-disputed-capture' && !returned.has(entry.pspReference)))
      .slice(0, 2);
    const references = [...refunded.map((sale) => sale.reference), ...disputed.map((entry) => entry.reference ?? '')];
    expect(refunded.length).toBeGreaterThan(0);
    expect(disputed.length).toBeGreaterThan(0);

    for (const reference of references) {
      const [answer, sales] = await Promise.all([
        gateway.execute(OrderTotals, { ledgerId: ledger.ledgerId, reference }),
        raw.salesByReference(ledger.ledgerId, reference),
      ]);
      const order = narrow(answer.order, 'Order');
      const { funds, fees } = entriesOf(days, reference);
      const sum = (amounts: number[]) => amounts.reduce((total, amount) => total + amount, 0);
      const captured = sum(sales.filter((sale) => sale.entryType === 'capture').map((sale) => sale.amounts.gross));
      const refundedAmount = sum(sales.filter((sale) => sale.entryType === 'refund').map((sale) => sale.amounts.gross));
      const money = (minorUnits: number) => ({ minorUnits, currency: ledger.currency });
      expect({ ...order, sales: undefined, moneyMovements: undefined }, reference).toEqual({
        __typename: 'Order',
        reference,
        sales: undefined,
        moneyMovements: undefined,
        captured: money(captured),
        refunded: money(refundedAmount),
        net: money(captured + refundedAmount),
        fees: money(sum(fees.map((entry) => entry.amount))),
        booked: money(sum(funds.map((entry) => entry.amount))),
        disputed: money(sum(funds.filter((entry) => entry.entryType.endsWith('-disputed-capture')).map((entry) => entry.amount))),
      });
      expect(order.moneyMovements).toHaveLength(funds.length + fees.length);
      expect(order.sales).toHaveLength(sales.length);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addDays, datesFrom } from '../../src/kernel/calendar.ts';
import { booksNow, useBooksHarness } from './harness.ts';
import type { RawDay } from './raw.ts';

/**
 * An order's totals equal sums of its own Sales entries and of the Report entries with its
 * reference, worked out here from the raw dates around it.
 */

const today = booksNow.slice(0, 10);
const minor = z.object({ minorUnits: z.number().int(), currency: z.string() });

const orderQuery = /* GraphQL */ `
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
`;
const orderModel = z.object({
  order: z.object({
    __typename: z.literal('Order'),
    reference: z.string(),
    sales: z.array(z.object({ kind: z.string(), gross: z.object({ minorUnits: z.number().int() }) })),
    moneyMovements: z.array(z.object({ topic: z.string(), entryType: z.string(), amount: z.object({ minorUnits: z.number().int() }) })),
    captured: minor,
    refunded: minor,
    net: minor,
    fees: minor,
    booked: minor,
    disputed: minor,
  }),
});

/** Every entry with the reference on the raw dates, by account. */
function entriesOf(days: readonly RawDay[], reference: string) {
  return {
    funds: days.flatMap((day) => day.funds.entries.filter((entry) => entry.reference === reference)),
    fees: days.flatMap((day) => day.fees.entries.filter((entry) => entry.reference === reference)),
  };
}

describe('orders', () => {
  const harness = useBooksHarness();

  it('sum their captures, refunds, fees and disputes exactly', async () => {
    const ledger = await harness().ledger((candidate) => candidate.reserve > 0);
    const days = await harness().raw.days(ledger.ledgerId, datesFrom(addDays(today, -16), addDays(today, -2)));
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

    const gateway = harness().gateway();
    for (const reference of references) {
      const [answer, sales] = await Promise.all([
        gateway.query(orderModel, orderQuery, { ledgerId: ledger.ledgerId, reference }),
        harness().raw.salesByReference(ledger.ledgerId, reference),
      ]);
      const { funds, fees } = entriesOf(days, reference);
      const sum = (amounts: number[]) => amounts.reduce((total, amount) => total + amount, 0);
      const captured = sum(sales.filter((sale) => sale.entryType === 'capture').map((sale) => sale.amounts.gross));
      const refundedAmount = sum(sales.filter((sale) => sale.entryType === 'refund').map((sale) => sale.amounts.gross));
      const money = (minorUnits: number) => ({ minorUnits, currency: ledger.currency });
      expect({ ...answer.order, sales: undefined, moneyMovements: undefined }, reference).toEqual({
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
      expect(answer.order.moneyMovements).toHaveLength(funds.length + fees.length);
      expect(answer.order.sales).toHaveLength(sales.length);
    }
  });
});

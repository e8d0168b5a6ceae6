import { isDeepStrictEqual } from 'node:util';

/**
 * The ledger-day query: one ledger date's sales with their order lines, joined on pspReference
 * with the funds and fees entries the Report API booked for them. The direct client builds
 * exactly this answer by hand, so the two can be compared byte for byte before they are timed.
 */

export const ledgerDayQuery = `query LedgerDay($ledgerId: String!, $date: Date!) {
  ledger(id: $ledgerId) {
    __typename
    ... on Ledger {
      sales(date: $date, first: 1000) {
        totalCount
        edges {
          node {
            entryType
            time
            reference
            pspReference
            gross { minorUnits decimal currency }
            orderLines {
              lineId
              name
              quantity
              unitPriceGross { minorUnits }
              discount { minorUnits }
              lineTotalGross { minorUnits }
              vatRate { basisPoints }
            }
            captures { entryType ledgerDate amount { minorUnits decimal currency } }
            fees { entryType ledgerDate amount { minorUnits decimal currency } }
          }
        }
      }
    }
  }
}`;

export interface Money {
  minorUnits: number;
  decimal: string;
  currency: string;
}

export interface Movement {
  entryType: string;
  ledgerDate: string;
  amount: Money;
}

export interface OrderLine {
  lineId: string;
  name: string;
  quantity: number;
  unitPriceGross: { minorUnits: number } | null;
  discount: { minorUnits: number } | null;
  lineTotalGross: { minorUnits: number } | null;
  vatRate: { basisPoints: number } | null;
}

export interface Sale {
  entryType: string;
  time: string;
  reference: string;
  pspReference: string | null;
  gross: Money | null;
  orderLines: OrderLine[];
  captures: Movement[];
  fees: Movement[];
}

/** The `data` of the query's answer. */
export interface LedgerDayData {
  ledger: { __typename: 'Ledger'; sales: { totalCount: number; edges: Array<{ node: Sale }> } };
}

/** The exact decimal of an amount in a currency with two decimals (NOK, DKK, EUR), without floating point. */
export function decimalOf(minorUnits: number): string {
  const digits = Math.abs(minorUnits).toString().padStart(3, '0');
  return `${minorUnits < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** An answer must be exactly the reference data, or comparing its speed means nothing. */
export function checkAnswer(label: string, body: string, expected: LedgerDayData): void {
  const answer: unknown = JSON.parse(body);
  if (!isDeepStrictEqual(answer, { data: expected })) {
    throw new Error(`${label} answered other data than the reference join:\n${body.slice(0, 1000)}`);
  }
}

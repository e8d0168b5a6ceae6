import { addDays } from '../../src/kernel/calendar.ts';
import { graphql } from '../gql/index.ts';
import type { ResilienceDayQuery } from '../gql/graphql.ts';
import { today } from '../support/clock.ts';
import type { TestEmulator } from '../support/emulator.ts';
import type { GraphResponse } from '../support/graphql.ts';

/**
 * The partner-portal page the fault suites load over and over: one ledger date with its sales
 * (Sales API) and its funds and fees (Report API). Each answer costs the granted-ledger list
 * (the grant check) and one page per API and account, so a few hundred answers make a few
 * thousand upstream calls in a few seconds.
 */
export const DayDocument = graphql(`
  query ResilienceDay($id: String!, $date: Date!) {
    ledger(id: $id) {
      __typename
      ... on Ledger {
        ledgerId
        sales(date: $date, first: 20) {
          totalCount
          edges {
            node {
              entryType
              pspReference
              reference
              gross {
                minorUnits
                currency
              }
            }
          }
        }
        funds: moneyMovements(date: $date, topic: FUNDS, first: 20) {
          totalCount
          isClosed
          edges {
            node {
              entryType
              kind
              pspReference
              amount {
                minorUnits
              }
              balanceAfter {
                minorUnits
              }
            }
          }
        }
        fees: moneyMovements(date: $date, topic: FEES, first: 20) {
          totalCount
          edges {
            node {
              entryType
              amount {
                minorUnits
              }
            }
          }
        }
      }
    }
  }
`);

/** An answer of the portal page, errors and all. */
export type DayAnswer = GraphResponse<ResilienceDayQuery>;

export interface DayKey {
  id: string;
  date: string;
}

/**
 * `count` distinct (ledger, closed date) pairs of the demo partner's quieter ledgers, newest
 * dates first: small pages keep the suite about faults, not about generating data.
 */
export async function dayKeys(emulator: TestEmulator, count: number): Promise<DayKey[]> {
  const ledgers = (await emulator.grantedLedgers()).filter((ledger) => !ledger.busiest);
  const keys: DayKey[] = [];
  for (let back = 2; keys.length < count; back += 1) {
    for (const ledger of ledgers) {
      if (keys.length < count) keys.push({ id: ledger.ledgerId, date: addDays(today, -back) });
    }
  }
  return keys;
}

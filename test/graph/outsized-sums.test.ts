import { describe, expect } from 'vitest';
import { outsizedAmount } from '../../src/emulator/data/report-day.ts';
import { buildCatalog } from '../../src/emulator/data/catalog.ts';
import { addDays } from '../../src/kernel/calendar.ts';
import { walkReportDate } from '../emulator/support.ts';
import { graphql } from '../gql/index.ts';
import { today } from '../support/clock.ts';
import { it } from '../support/harness.ts';
import { PartnerClient } from '../support/partner-client.ts';

/**
 * A sum beyond ±(2^53 − 1) minor units on the real graph: the emulator books outsized entries on
 * one date (its `outsizedDate` option), every amount and balance of them exact, and the field that
 * sums them answers `SUM_OUT_OF_RANGE` with its path while the rest of the answer still comes.
 */

const ledgerId = buildCatalog('demo').ledgers.find((ledger) => ledger.kind === 'vm' && ledger.settlement === 'daily' && !ledger.busiest)?.ledgerId ?? '';
const date = addDays(today, -3);

it.override('emulatorOptions', { outsizedDate: { ledgerId, date } });

const OutsizedDay = graphql(`
  query OutsizedDay($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        day(date: $date) {
          openingBalance { minorUnits }
          closingBalance { minorUnits }
          movements { byType { entryType amount { minorUnits } } }
        }
        moneyMovements(date: $date, first: 1000) { edges { node { entryType amount { minorUnits } balanceAfter { minorUnits } } } }
      }
    }
  }
`);

describe('a sum beyond ±(2^53 − 1) minor units on the real graph', () => {
  it('answers the summing field SUM_OUT_OF_RANGE with its path, and the rest of the answer as upstream has it', async ({ emulator, gateway }) => {
    expect(ledgerId).not.toBe('');
    const raw = (await walkReportDate(new PartnerClient(emulator.url, emulator.partner), ledgerId, 'funds', date)).entries;
    const topUps = raw.filter((entry) => entry.entryType === 'top-up');
    // Upstream's every figure is exact; only their sum is not: 2^53 needs BigInt to be told apart from 2^53 + 1.
    expect(topUps.map((entry) => entry.amount)).toEqual([outsizedAmount, outsizedAmount]);
    expect(raw.every((entry) => Number.isSafeInteger(entry.amount) && Number.isSafeInteger(entry.balanceAfter))).toBe(true);
    expect(topUps.reduce((sum, entry) => sum + BigInt(entry.amount), 0n) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);

    const answer = await gateway.request(OutsizedDay, { ledgerId, date });
    expect(answer.errors).toEqual([
      expect.objectContaining({ path: ['ledger', 'day', 'movements'], extensions: expect.objectContaining({ code: 'SUM_OUT_OF_RANGE', field: 'ledger.day.movements' }) }),
    ]);
    const first = raw[0];
    const last = raw.at(-1);
    expect(answer.data?.ledger).toEqual({
      __typename: 'Ledger',
      day: {
        openingBalance: { minorUnits: first ? first.balanceAfter - first.amount : null },
        closingBalance: { minorUnits: last?.balanceAfter },
        movements: null,
      },
      moneyMovements: {
        edges: raw.map((entry) => ({ node: { entryType: entry.entryType, amount: { minorUnits: entry.amount }, balanceAfter: { minorUnits: entry.balanceAfter } } })),
      },
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import { graphql } from '../gql/index.ts';
import { today } from '../support/clock.ts';
import { startTestEmulator } from '../support/emulator.ts';
import { composeGateway } from '../support/gateway.ts';
import { narrow, present } from '../support/answers.ts';
import { canonicalBooks, expectedBooks } from './canonical.ts';
import { isPayout } from './expected.ts';
import { RawLedgers } from './raw.ts';

/**
 * Over emulators of random seeds (other identifiers, volumes, events): the books of a random
 * closed date of a random ledger equal the raw sums, its payout equals the movements it covers,
 * and its reconciliation adds up both ways.
 */

const PropertyDay = graphql(`
  query PropertyDay($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        day(date: $date) {
          date ...Books
          payout { payoutNumber amount { minorUnits } balanceAfter { minorUnits } openingBalance { minorUnits } moneyMovements { amount { minorUnits } } }
        }
        reconciliation(date: $date) {
          totals {
            salesGross { minorUnits } bookedForSales { minorUnits } difference { minorUnits } mismatchDifference { minorUnits }
            pendingGross { minorUnits } unmatchedGross { minorUnits } bookedOnNextDate { minorUnits } earlierSalesAmount { minorUnits }
            withoutSaleAmount { minorUnits } movementsAmount { minorUnits }
          }
        }
      }
    }
  }
`);

/** The balances of both accounts before a date: the last entry of the 31 dates before it. */
async function balancesBefore(raw: RawLedgers, ledgerId: string, date: string) {
  const found: { funds: number | null; fees: number | null } = { funds: null, fees: null };
  for (const topic of ['funds', 'fees'] as const) {
    for (let back = 1; back <= 31 && found[topic] === null; back++) {
      const entries = (await raw.day(ledgerId, addDays(date, -back)))[topic].entries;
      found[topic] = entries[entries.length - 1]?.balanceAfter ?? null;
    }
  }
  return found;
}

describe('bookkeeping over random emulator seeds', () => {
  it('is exact for a random closed date of a random ledger', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.nat(), fc.integer({ min: 2, max: 62 }), async (seed, pick, back) => {
        const emulator = await startTestEmulator({ seed });
        const gateway = await composeGateway(emulator);
        const raw = new RawLedgers(emulator.url, emulator.partner);
        try {
          const ledgers = await emulator.grantedLedgers();
          const ledger = ledgers[pick % ledgers.length];
          if (ledger === undefined) throw new Error('the demo partner has ledgers');
          const date = addDays(today, -back);
          const [answer, rawDay, before] = await Promise.all([
            gateway.execute(PropertyDay, { ledgerId: ledger.ledgerId, date }),
            raw.day(ledger.ledgerId, date),
            balancesBefore(raw, ledger.ledgerId, date),
          ]);
          const ledgerAnswer = narrow(answer.ledger, 'Ledger');
          const day = present(ledgerAnswer.day, 'day');
          const reconciliation = present(ledgerAnswer.reconciliation, 'reconciliation');
          expect(canonicalBooks(day)).toEqual(expectedBooks([rawDay], before));

          const scheduled = rawDay.funds.entries.find(isPayout);
          expect(day.payout === null).toBe(scheduled === undefined);
          if (day.payout !== null) {
            const { payout } = day;
            const covered = present(payout.moneyMovements, 'moneyMovements').slice(0, -1).reduce((sum, movement) => sum + movement.amount.minorUnits, 0);
            expect(present(payout.openingBalance, 'openingBalance').minorUnits + covered).toBe(payout.amount.minorUnits + payout.balanceAfter.minorUnits);
          }

          const { totals } = reconciliation;
          const t = (key: Exclude<keyof typeof totals, '__typename'>) => totals[key].minorUnits;
          expect(t('difference')).toBe(t('mismatchDifference') - t('pendingGross') - t('unmatchedGross'));
          expect(t('movementsAmount')).toBe(rawDay.funds.entries.reduce((sum, entry) => sum + entry.amount, 0));
          expect(t('movementsAmount')).toBe(t('bookedForSales') - t('bookedOnNextDate') + t('earlierSalesAmount') + t('withoutSaleAmount'));
        } finally {
          await gateway.close();
          await emulator.close();
        }
      }),
      { numRuns: 15 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addDays } from '../../src/kernel/calendar.ts';
import { booksFragment, dayModel } from './books-documents.ts';
import { canonicalBooks, expectedBooks } from './canonical.ts';
import { isPayout } from './expected.ts';
import { booksNow, startBooksHarness, type BooksHarness } from './harness.ts';

/**
 * Over emulators of random seeds (other identifiers, volumes, events): the books of a random
 * closed date of a random ledger equal the raw sums, its payout equals the movements it covers,
 * and its reconciliation adds up both ways.
 */

const today = booksNow.slice(0, 10);
const minor = z.object({ minorUnits: z.number().int() });

const dayQuery = /* GraphQL */ `
  query Day($ledgerId: String!, $date: Date!) {
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
  ${booksFragment}
`;
const answerModel = z.object({
  ledger: z.object({
    day: dayModel.extend({
      payout: z
        .object({ payoutNumber: z.string(), amount: minor, balanceAfter: minor, openingBalance: minor, moneyMovements: z.array(z.object({ amount: minor })) })
        .nullable(),
    }),
    reconciliation: z.object({ totals: z.record(z.string(), minor) }),
  }),
});

/** The balances of both accounts before a date: the last entry of the 31 dates before it. */
async function balancesBefore(harness: BooksHarness, ledgerId: string, date: string) {
  const found: { funds: number | null; fees: number | null } = { funds: null, fees: null };
  for (const topic of ['funds', 'fees'] as const) {
    for (let back = 1; back <= 31 && found[topic] === null; back++) {
      const entries = (await harness.raw.day(ledgerId, addDays(date, -back)))[topic].entries;
      found[topic] = entries[entries.length - 1]?.balanceAfter ?? null;
    }
  }
  return found;
}

describe('bookkeeping over random emulator seeds', () => {
  it('is exact for a random closed date of a random ledger', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.nat(), fc.integer({ min: 2, max: 62 }), async (seed, pick, back) => {
        const harness = await startBooksHarness({ seed });
        try {
          const ledgers = await harness.ledgers();
          const ledger = ledgers[pick % ledgers.length];
          if (ledger === undefined) throw new Error('the demo partner has ledgers');
          const date = addDays(today, -back);
          const [answer, raw, before] = await Promise.all([
            harness.gateway().query(answerModel, dayQuery, { ledgerId: ledger.ledgerId, date }),
            harness.raw.day(ledger.ledgerId, date),
            balancesBefore(harness, ledger.ledgerId, date),
          ]);
          const { day, reconciliation } = answer.ledger;
          expect(canonicalBooks(day)).toEqual(expectedBooks([raw], before));

          const scheduled = raw.funds.entries.find(isPayout);
          expect(day.payout === null).toBe(scheduled === undefined);
          if (day.payout !== null) {
            const { payout } = day;
            const covered = payout.moneyMovements.slice(0, -1).reduce((sum, movement) => sum + movement.amount.minorUnits, 0);
            expect(payout.openingBalance.minorUnits + covered).toBe(payout.amount.minorUnits + payout.balanceAfter.minorUnits);
          }

          const t = (key: string) => reconciliation.totals[key]?.minorUnits ?? Number.NaN;
          expect(t('difference')).toBe(t('mismatchDifference') - t('pendingGross') - t('unmatchedGross'));
          expect(t('movementsAmount')).toBe(raw.funds.entries.reduce((sum, entry) => sum + entry.amount, 0));
          expect(t('movementsAmount')).toBe(t('bookedForSales') - t('bookedOnNextDate') + t('earlierSalesAmount') + t('withoutSaleAmount'));
        } finally {
          await harness.close();
        }
      }),
      { numRuns: 15 },
    );
  });
});

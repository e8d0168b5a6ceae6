import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addDays, ledgerDateOf } from '../../src/kernel/calendar.ts';
import type { Upstream } from '../../src/sources/index.ts';
import { syncPass } from '../../src/sync/syncer.ts';
import { ledgerDayModel, ledgerDayQuery, startReplica, type Replica } from '../caching/support.ts';
import { calls, startHarness, type EmulatorHarness } from '../sources/emulator.ts';
import { useRedis } from '../support/redis.ts';
import { directUpstream, mirrorRig, type MirrorRig } from './support.ts';

/**
 * The joins with a feed mirror: the same answers as without it, read from the dates that hold
 * the entries instead of the guessed ones, and the date endpoints wherever the mirror stops.
 */

const ledgerId = '241684';
const date = '2026-05-12';

const saleQuery = /* GraphQL */ `
  query MirroredSale($ledgerId: String!, $pspReference: String!) {
    sale(ledgerId: $ledgerId, pspReference: $pspReference) {
      __typename
      ... on Sale {
        reference
        captures { ledgerDate amount { minorUnits } }
        fees { ledgerDate amount { minorUnits } }
        settlement { status ledgerDate }
      }
    }
  }
`;
const movement = z.object({ ledgerDate: z.string(), amount: z.object({ minorUnits: z.number() }) });
const saleModel = z.object({
  sale: z.object({
    __typename: z.literal('Sale'),
    reference: z.string(),
    captures: z.array(movement),
    fees: z.array(movement),
    settlement: z.object({ status: z.string(), ledgerDate: z.string().nullable() }),
  }),
});

/** A card or wallet sale of `day` made in the daytime, booked on its own date with every fee there too. */
async function onTimeSale(direct: Upstream, day: string): Promise<string> {
  const [sales, funds, fees, feesNext] = await Promise.all([
    direct.sales.forDate(ledgerId, day),
    direct.report.forDate(ledgerId, 'funds', day),
    direct.report.forDate(ledgerId, 'fees', day),
    direct.report.forDate(ledgerId, 'fees', addDays(day, 1)),
  ]);
  const onDate = (entries: { pspReference?: string | null | undefined }[], psp: string) => entries.some((entry) => entry.pspReference === psp);
  const found = sales.find(
    (sale) =>
      sale.pspReference !== null &&
      ledgerDateOf(sale.time, 'Europe/Oslo', 6) === day &&
      onDate(funds.entries, sale.pspReference) &&
      onDate(fees.entries, sale.pspReference) &&
      !onDate(feesNext.entries, sale.pspReference),
  );
  if (found?.pspReference == null) throw new Error(`no daytime sale on ${day} with its capture and fees on that date`);
  return found.pspReference;
}

describe('joins over a feed mirror', () => {
  const redis = useRedis();
  let harness: EmulatorHarness;
  let rig: MirrorRig;
  let direct: Upstream;
  let mirrored: Replica;
  let plain: Replica;

  beforeAll(async () => {
    harness = await startHarness();
    rig = await mirrorRig(harness, redis.url);
    direct = directUpstream(harness);
    const report = await syncPass(rig.options({ ledgerIds: [ledgerId] }));
    expect(report.failed).toBe(0);
    // The mirrored replica keeps nothing in its cache between the tests' comparisons: each test
    // asks for what no earlier one asked.
    mirrored = await startReplica(harness, null, { mirror: rig.redis });
    plain = await startReplica(harness, null);
  });
  afterAll(async () => {
    await mirrored.close();
    await plain.close();
    await rig.close();
    await direct.close();
    await harness.close();
  });

  const countCalls = async <T>(ask: () => Promise<T>) => {
    await harness.resetStats();
    const answer = await ask();
    const stats = await harness.stats();
    return { answer, reportDates: stats.routes[calls.reportDate] ?? 0, lookups: stats.routes[calls.salesPspReference] ?? 0 };
  };

  it('reads only the dates that hold a sale\'s entries, and finds the sale itself in the mirror', async () => {
    const pspReference = await onTimeSale(direct, date);
    const variables = { ledgerId, pspReference };
    const without = await countCalls(() => plain.query(saleModel, saleQuery, variables));
    const withMirror = await countCalls(() => mirrored.query(saleModel, saleQuery, variables));
    expect(withMirror.answer).toEqual(without.answer);
    expect(withMirror.answer.sale.settlement).toEqual({ status: 'SETTLED', ledgerDate: date });
    // Without the mirror: funds on the date, fees on the date and the next, and a Sales lookup.
    expect(without).toMatchObject({ reportDates: 3, lookups: 1 });
    expect(withMirror).toMatchObject({ reportDates: 2, lookups: 0 });
  });

  it('answers a whole ledger day as the date endpoints do, reading no more dates', async () => {
    const variables = { ledgerId, date: addDays(date, 1) };
    const without = await countCalls(() => plain.query(ledgerDayModel, ledgerDayQuery, variables));
    const withMirror = await countCalls(() => mirrored.query(ledgerDayModel, ledgerDayQuery, variables));
    expect(withMirror.answer).toEqual(without.answer);
    expect(without.answer.ledger.sales.totalCount).toBeGreaterThan(10);
    expect(withMirror.reportDates).toBeLessThanOrEqual(without.reportDates);
  });

  it('falls back to the guessed dates past the end of what the mirror has read', async () => {
    // Two more days pass upstream; the mirror is not synced again.
    const moved = await fetch(`${harness.emulator.url}/__emulator/clock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: '2026-05-22T12:00:00Z' }),
    });
    expect(moved.ok).toBe(true);
    const newer = '2026-05-21';
    const pspReference = await onTimeSale(direct, newer);
    const withMirror = await countCalls(() => mirrored.query(saleModel, saleQuery, { ledgerId, pspReference }));
    const without = await countCalls(() => plain.query(saleModel, saleQuery, { ledgerId, pspReference }));
    expect(withMirror.answer).toEqual(without.answer);
    expect(withMirror.answer.sale.settlement).toEqual({ status: 'SETTLED', ledgerDate: newer });
    expect(withMirror.reportDates).toBe(without.reportDates);
  });
});

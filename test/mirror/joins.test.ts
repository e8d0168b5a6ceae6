import { describe, expect } from 'vitest';
import type { EmulatorAdmin } from '../../src/emulator/admin-client.ts';
import { addDays, ledgerDateOf } from '../../src/kernel/calendar.ts';
import type { Upstream } from '../../src/sources/index.ts';
import { MirrorReader } from '../../src/sync/reader.ts';
import { syncPass } from '../../src/sync/syncer.ts';
import { graphql } from '../gql/index.ts';
import { narrow, present } from '../support/answers.ts';
import { gatewayOver, type TestGateway } from '../support/gateway.ts';
import { it } from '../support/harness.ts';
import { LedgerDay } from '../support/ledger-day.ts';
import { callsTo, routes } from '../support/routes.ts';
import { plainUpstream } from '../support/upstream.ts';
import { mirrorRig, type MirrorRig } from './support.ts';

/**
 * The joins with a feed mirror: the same answers as without it, read from the dates that hold
 * the entries instead of the guessed ones, and the date endpoints wherever the mirror stops.
 */

const ledgerId = '241684';
const date = '2026-05-12';

const MirroredSale = graphql(`
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
`);

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
  let rig: MirrorRig;
  let mirrored: TestGateway;
  let plain: TestGateway;

  it.beforeAll(async ({ emulator, redis, openUpstream }) => {
    rig = await mirrorRig(redis.url, openUpstream());
    const report = await syncPass(rig.options({ ledgerIds: [ledgerId] }));
    expect(report.failed).toBe(0);
    // Gateways over upstreams built by hand, without the composition root's cache: each test
    // compares the dates read with the mirror and without it, and a cache would hide reads.
    mirrored = gatewayOver(plainUpstream(emulator.url, emulator.partner, {}, { mirror: (fp) => new MirrorReader(rig.redis, fp) }));
    plain = gatewayOver(plainUpstream(emulator.url, emulator.partner));
  });
  it.afterAll(async () => {
    await mirrored.close();
    await plain.close();
    await rig.close();
  });

  const countCalls = async <T>(admin: EmulatorAdmin, ask: () => Promise<T>) => {
    await admin.resetStats();
    const answer = await ask();
    const stats = await admin.stats();
    return { answer, reportDates: callsTo(stats, routes.reportDate), lookups: callsTo(stats, routes.salesByPspReference) };
  };

  it('reads only the dates that hold a sale\'s entries, and finds the sale itself in the mirror', async ({ admin, direct }) => {
    const pspReference = await onTimeSale(direct, date);
    const variables = { ledgerId, pspReference };
    const without = await countCalls(admin, () => plain.execute(MirroredSale, variables));
    const withMirror = await countCalls(admin, () => mirrored.execute(MirroredSale, variables));
    expect(withMirror.answer).toEqual(without.answer);
    expect(narrow(withMirror.answer.sale, 'Sale').settlement).toEqual({ status: 'SETTLED', ledgerDate: date });
    // Without the mirror: funds on the date (the capture is there), fees on the date and the next, and a Sales lookup.
    expect(without).toMatchObject({ reportDates: 3, lookups: 1 });
    expect(withMirror).toMatchObject({ reportDates: 2, lookups: 0 });
  });

  it('answers a whole ledger day as the date endpoints do, reading no more dates', async ({ admin }) => {
    const variables = { ledgerId, date: addDays(date, 1) };
    const without = await countCalls(admin, () => plain.execute(LedgerDay, variables));
    const withMirror = await countCalls(admin, () => mirrored.execute(LedgerDay, variables));
    expect(withMirror.answer).toEqual(without.answer);
    expect(present(narrow(without.answer.ledger, 'Ledger').sales, 'sales').totalCount).toBeGreaterThan(10);
    expect(withMirror.reportDates).toBeLessThanOrEqual(without.reportDates);
  });

  it('falls back to the guessed dates past the end of what the mirror has read', async ({ admin, direct }) => {
    // Two more days pass upstream; the mirror is not synced again.
    expect(await admin.setClock('2026-05-22T12:00:00Z')).toBe('2026-05-22T12:00:00.000Z');
    const newer = '2026-05-21';
    const pspReference = await onTimeSale(direct, newer);
    const withMirror = await countCalls(admin, () => mirrored.execute(MirroredSale, { ledgerId, pspReference }));
    const without = await countCalls(admin, () => plain.execute(MirroredSale, { ledgerId, pspReference }));
    expect(withMirror.answer).toEqual(without.answer);
    expect(narrow(withMirror.answer.sale, 'Sale').settlement).toEqual({ status: 'SETTLED', ledgerDate: newer });
    expect(withMirror.reportDates).toBe(without.reportDates);
  });
});

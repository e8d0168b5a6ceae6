import { describe, expect } from 'vitest';
import { historyWindowDays } from '../../src/kernel/booking-window.ts';
import { addDays, daysBetween } from '../../src/kernel/calendar.ts';
import { sumExact } from '../../src/kernel/exact.ts';
import { silentLogger } from '../../src/logger.ts';
import { RedisConnection } from '../../src/sources/redis/connection.ts';
import { MirrorReader } from '../../src/sync/reader.ts';
import { syncPass } from '../../src/sync/syncer.ts';
import { walkReportFeed, walkSalesFeed, type ReportEntry } from '../emulator/support.ts';
import { graphql } from '../gql/index.ts';
import { narrow, present } from '../support/answers.ts';
import { today } from '../support/clock.ts';
import { gatewayOver, type TestGateway } from '../support/gateway.ts';
import { it } from '../support/harness.ts';
import { PartnerClient } from '../support/partner-client.ts';
import { plainUpstream } from '../support/upstream.ts';
import { mirrorRig, type MirrorRig } from './support.ts';

/**
 * A sale's and an order's whole money history, computed here from the emulator's raw feeds: with
 * the feed mirror every entry at any distance, without it the entries of a documented window of
 * dates, and each answer says how far it looked (`checkedThrough`) and whether that is all
 * (`complete`).
 */

const SalesHistory = graphql(`
  query SalesHistory($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        sales(date: $date, first: 1000) {
          edges {
            node {
              pspReference
              moneyMovements { topic entryType ledgerDate amount { minorUnits } }
              history { source checkedThrough complete movements { topic entryType ledgerDate amount { minorUnits } } }
            }
          }
        }
      }
    }
  }
`);

const OrderHistory = graphql(`
  query OrderHistory($ledgerId: String!, $reference: String!) {
    order(ledgerId: $ledgerId, reference: $reference) {
      __typename
      ... on Order {
        booked { minorUnits }
        disputed { minorUnits }
        history { source checkedThrough complete }
      }
    }
  }
`);

const FeeCorrections = graphql(`
  query FeeCorrections($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        moneyMovements(date: $date, topic: FEES, first: 1000) {
          edges { node { entryType pspReference sale { pspReference } } }
        }
      }
    }
  }
`);

type Movement = { topic: string; entryType: string; ledgerDate: string; amount: { minorUnits: number } };
const asText = (movements: readonly Movement[]) => movements.map((m) => `${m.topic} ${m.entryType} ${m.ledgerDate} ${m.amount.minorUnits}`).sort();
const rawAsText = (entries: ReadonlyArray<ReportEntry & { topic: string }>) =>
  entries.map((e) => `${e.topic.toUpperCase()} ${e.entryType} ${e.ledgerDate} ${e.amount}`).sort();
const isDispute = (entryType: string) => entryType.endsWith('disputed-capture');

describe("a sale's and an order's whole money history", () => {
  let rig: MirrorRig;
  let readerRedis: RedisConnection;
  let mirrored: TestGateway;
  let plain: TestGateway;
  let ledgerId: string;
  let entries: Array<ReportEntry & { topic: string }>;
  /** The pspReferences and references the Sales API has sales of. */
  let sold: { pspReferences: Set<string>; references: Set<string> };
  /** Closed Sales dates whose sales book the most entries on later dates. */
  let dates: string[];

  it.beforeAll(async ({ emulator, redis, openUpstream }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && candidate.settlement === 'daily' && !candidate.busiest);
    ledgerId = ledger.ledgerId;
    const client = new PartnerClient(emulator.url, emulator.partner);
    const [funds, fees] = await Promise.all([walkReportFeed(client, ledgerId, 'funds'), walkReportFeed(client, ledgerId, 'fees')]);
    entries = [...funds.entries.map((e) => ({ ...e, topic: 'funds' })), ...fees.entries.map((e) => ({ ...e, topic: 'fees' }))];
    const sales = await walkSalesFeed(client, ledgerId);
    sold = {
      pspReferences: new Set(sales.flatMap((sale) => (sale.pspReference === null ? [] : [sale.pspReference]))),
      references: new Set(sales.map((sale) => sale.reference)),
    };
    // The closed dates whose captures have the most entries on later dates.
    const capturedOn = new Map(funds.entries.filter((e) => e.entryType === 'capture').map((e) => [e.pspReference, e.ledgerDate]));
    const lateByDate = new Map<string, number>();
    for (const entry of entries) {
      const captured = capturedOn.get(entry.pspReference);
      // Later funds entries (disputes, adjustments) first: a search that stops at the capture misses them.
      const weight = entry.topic === 'funds' ? 100 : 1;
      if (captured !== undefined && daysBetween(captured, entry.ledgerDate) >= 2) lateByDate.set(captured, (lateByDate.get(captured) ?? 0) + weight);
    }
    const latest = addDays(today, -2);
    dates = [...lateByDate].filter(([day]) => day <= latest).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([day]) => day);

    rig = await mirrorRig(redis.url, openUpstream());
    expect((await syncPass(rig.options({ ledgerIds: [ledgerId] }))).failed).toBe(0);
    const env = { QUERY_MAX_COST: '1000000' };
    // The reader on a connection of its own, patient enough for a busy machine: a command that
    // times out reads as "no mirror", and the answer would rightly fall back to the window.
    readerRedis = new RedisConnection({ url: redis.url, logger: silentLogger, commandTimeoutMs: 10_000 });
    mirrored = gatewayOver(plainUpstream(emulator.url, emulator.partner, {}, { mirror: (fp) => new MirrorReader(readerRedis, fp) }), { env });
    plain = gatewayOver(plainUpstream(emulator.url, emulator.partner), { env });
  }, 120_000);
  it.afterAll(async () => {
    await mirrored?.close();
    await plain?.close();
    await rig?.close();
    await readerRedis?.close();
  });

  const salesOf = async (gateway: TestGateway, date: string) =>
    present(narrow((await gateway.execute(SalesHistory, { ledgerId, date })).ledger, 'Ledger').sales, 'sales').edges.map((edge) => edge.node);

  it('lists every later entry of a few hundred sales with the mirror, and the window without it, saying how far it looked', async () => {
    let checked = 0;
    let later = 0;
    for (const date of dates) {
      const [withMirror, without] = await Promise.all([salesOf(mirrored, date), salesOf(plain, date)]);
      // The window stops at the newest date there is (the clock's): then it is known complete.
      const windowEnd = addDays(date, historyWindowDays - 1) < today ? addDays(date, historyWindowDays - 1) : today;
      for (const [index, sale] of withMirror.entries()) {
        if (sale.pspReference === null) continue;
        checked += 1;
        const own = entries.filter((entry) => entry.pspReference === sale.pspReference);
        later += own.filter((entry) => entry.topic === 'funds' && daysBetween(date, entry.ledgerDate) >= 2).length;
        const history = present(sale.history, 'history');
        expect(asText(history.movements), sale.pspReference).toEqual(rawAsText(own));
        expect(asText(present(sale.moneyMovements, 'moneyMovements'))).toEqual(asText(history.movements));
        expect(history, `${date} ${sale.pspReference}`).toMatchObject({ source: 'FEED_MIRROR', complete: true });

        const windowed = present(without[index]?.history, 'history');
        const inWindow = own.filter((entry) => entry.ledgerDate >= date && entry.ledgerDate <= windowEnd);
        expect(asText(windowed.movements), sale.pspReference).toEqual(rawAsText(inWindow));
        expect(windowed).toMatchObject({ source: 'DATE_WINDOW', checkedThrough: windowEnd, complete: windowEnd === today });
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(later).toBeGreaterThan(0);
    // Twelve ledger days, each read twice: once through the mirror, once over the window of 31 dates per account.
  }, 120_000);

  it("books a disputed order's dispute as won or lost from its whole history, with and without the mirror", async () => {
    const byReference = new Map<string, ReportEntry[]>();
    for (const entry of entries) {
      if (entry.topic === 'funds' && entry.reference) byReference.set(entry.reference, [...(byReference.get(entry.reference) ?? []), entry]);
    }
    const disputed = [...byReference].filter(([reference, own]) => sold.references.has(reference) && own.some((entry) => isDispute(entry.entryType)));
    // The orders whose whole history fits the window after their first capture, so both gateways see all of it.
    const fits = disputed.filter(([, own]) => {
      const dates = own.map((entry) => entry.ledgerDate).sort();
      return daysBetween(dates[0] ?? '', dates.at(-1) ?? '') < historyWindowDays - 1 && own[0]?.entryType === 'capture';
    });
    const wonInFit = fits.filter(([, own]) => own.some((entry) => entry.entryType === 'returned-disputed-capture'));
    expect(wonInFit.length).toBeGreaterThan(0);
    expect(fits.length - wonInFit.length).toBeGreaterThan(0);
    for (const [reference, own] of fits.slice(0, 30)) {
      const expected = {
        booked: { minorUnits: sumExact(own, (entry) => entry.amount) },
        disputed: { minorUnits: sumExact(own.filter((entry) => isDispute(entry.entryType)), (entry) => entry.amount) },
      };
      for (const gateway of [plain, mirrored]) {
        const order = narrow((await gateway.execute(OrderHistory, { ledgerId, reference })).order, 'Order');
        expect(order, reference).toMatchObject(expected);
      }
    }
  });

  it('joins a fee correction with a sale\'s pspReference to its sale, as the sale lists it among its fees', async () => {
    const correction = present(
      entries.find((entry) => entry.topic === 'fees' && entry.entryType === 'correction' && sold.pspReferences.has(entry.pspReference) && entry.ledgerDate < today),
      'a fee correction of a sale',
    );
    const movements = present(narrow((await plain.execute(FeeCorrections, { ledgerId, date: correction.ledgerDate })).ledger, 'Ledger').moneyMovements, 'movements');
    const corrections = movements.edges.filter((edge) => edge.node.entryType === 'correction' && sold.pspReferences.has(edge.node.pspReference ?? ''));
    expect(corrections.length).toBeGreaterThan(0);
    for (const { node } of corrections) expect(node.sale?.pspReference).toBe(node.pspReference);
  });
});

import { describe, expect } from 'vitest';
import { historyWindowDays } from '../../src/kernel/booking-window.ts';
import { addDays, daysBetween } from '../../src/kernel/calendar.ts';
import { sumExact } from '../../src/kernel/exact.ts';
import { silentLogger } from '../../src/logger.ts';
import { RedisConnection } from '../../src/sources/redis/connection.ts';
import { MirrorReader } from '../../src/sync/reader.ts';
import { syncPass } from '../../src/sync/syncer.ts';
import { walkReportFeed, walkSalesFeed, type ReportEntry } from '../emulator/support.ts';
import type { SalesEntry } from '../emulator/models.ts';
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
              settlement { status ledgerDate checkedDates checkedThrough complete movements { topic entryType ledgerDate amount { minorUnits } } }
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

const ReconciliationCoverage = graphql(`
  query ReconciliationCoverage($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        reconciliation(date: $date) {
          source
          checkedThrough
          complete
          salesCount
        }
      }
    }
  }
`);

const MovementsWithTheirSale = graphql(`
  query MovementsWithTheirSale($ledgerId: String!, $date: Date!, $topic: MoneyMovementTopic!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        moneyMovements(date: $date, topic: $topic, first: 1000) {
          edges {
            node {
              topic
              entryType
              ledgerDate
              pspReference
              amount { minorUnits }
              sale {
                pspReference
                entryType
                time
                moneyMovements { topic entryType ledgerDate amount { minorUnits } }
                history { checkedThrough complete }
              }
            }
          }
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
  let salesEntries: SalesEntry[];

  it.beforeAll(async ({ emulator, redis, openUpstream }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && candidate.settlement === 'daily' && !candidate.busiest);
    ledgerId = ledger.ledgerId;
    const client = new PartnerClient(emulator.url, emulator.partner);
    const [funds, fees] = await Promise.all([walkReportFeed(client, ledgerId, 'funds'), walkReportFeed(client, ledgerId, 'fees')]);
    entries = [...funds.entries.map((e) => ({ ...e, topic: 'funds' })), ...fees.entries.map((e) => ({ ...e, topic: 'fees' }))];
    const sales = await walkSalesFeed(client, ledgerId);
    salesEntries = sales;
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
    let settlements = 0;
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

        // Settlement reads the funds dates of its booking window and says so from the same plan.
        for (const [answer, source] of [[sale, 'mirror'], [without[index], 'window']] as const) {
          const settlement = present(answer?.settlement, `${source} settlement`);
          const read = new Set(settlement.checkedDates);
          const ownFunds = own.filter((entry) => entry.topic === 'funds' && read.has(entry.ledgerDate));
          expect(asText(settlement.movements), `${source} ${sale.pspReference}`).toEqual(rawAsText(ownFunds));
          const booked = ownFunds.find((entry) => entry.entryType === 'capture' || entry.entryType === 'refund');
          expect(settlement, `${source} ${sale.pspReference}`).toMatchObject({
            ledgerDate: booked?.ledgerDate ?? null,
            complete: settlement.checkedThrough === today,
          });
          if (booked !== undefined) expect(settlement.status).toBe('SETTLED');
          // Without the mirror, covered means read: through the last date read, no further.
          if (source === 'window') expect(settlement.checkedThrough).toBe(settlement.checkedDates.at(-1) ?? null);
          settlements += 1;
        }

        const windowed = present(without[index]?.history, 'history');
        const inWindow = own.filter((entry) => entry.ledgerDate >= date && entry.ledgerDate <= windowEnd);
        expect(asText(windowed.movements), sale.pspReference).toEqual(rawAsText(inWindow));
        expect(windowed).toMatchObject({ source: 'DATE_WINDOW', checkedThrough: windowEnd, complete: windowEnd === today });
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(later).toBeGreaterThan(0);
    expect(settlements).toBe(2 * checked);
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

  it('says how far a reconciliation looked for its sales\' money, by the search plan of the joins, with and without the mirror', async () => {
    const fundsNewest = entries.filter((e) => e.topic === 'funds').map((e) => e.ledgerDate).sort().at(-1) ?? '';
    for (const date of [...dates.slice(0, 3), addDays(today, -1), today]) {
      const windowEnd = addDays(date, 1) < today ? addDays(date, 1) : today;
      for (const [gateway, viaMirror] of [[plain, false], [mirrored, true]] as const) {
        const reconciliation = present(narrow((await gateway.execute(ReconciliationCoverage, { ledgerId, date })).ledger, 'Ledger').reconciliation, 'reconciliation');
        if (date < addDays(today, -1)) expect(reconciliation.salesCount, date).toBeGreaterThan(0);
        // A date without sales has nothing to ask the mirror about.
        const source = viaMirror && reconciliation.salesCount > 0 ? 'FEED_MIRROR' : 'DATE_WINDOW';
        // Without the mirror the booking window alone, which is complete only when it reaches the newest date;
        // with it, every date before the newest date the mirror holds (the raw funds feed's newest) is covered too.
        const mirroredThrough = addDays(fundsNewest, -1);
        const checkedThrough = source === 'DATE_WINDOW' || windowEnd > mirroredThrough ? windowEnd : mirroredThrough;
        expect(reconciliation, `${date} ${source}`).toMatchObject({ source, checkedThrough, complete: windowEnd === today });
      }
    }
  }, 120_000);

  it('joins disputes won and lost, early and weeks later, and adjustments to the sale that lists them, with and without the mirror', async () => {
    const capturedOn = new Map(entries.filter((e) => e.entryType === 'capture').map((e) => [e.pspReference, e.ledgerDate]));
    const lateOfSales = entries.filter((e) => sold.pspReferences.has(e.pspReference) && e.ledgerDate < today && capturedOn.has(e.pspReference));
    const returned = new Set(lateOfSales.filter((e) => e.entryType === 'returned-disputed-capture').map((e) => e.pspReference));
    const weeksAfter = (e: ReportEntry) => daysBetween(capturedOn.get(e.pspReference) ?? '', e.ledgerDate) >= 7;
    const kinds: Record<string, (e: ReportEntry & { topic: string }) => boolean> = {
      'a dispute won, opened weeks later': (e) => e.entryType === 'retained-disputed-capture' && returned.has(e.pspReference) && weeksAfter(e),
      'a dispute lost, opened weeks later': (e) => e.entryType === 'retained-disputed-capture' && !returned.has(e.pspReference) && weeksAfter(e),
      'a dispute opened a date or two later': (e) => e.entryType === 'retained-disputed-capture' && !weeksAfter(e),
      'the money of a dispute won, returned': (e) => e.entryType === 'returned-disputed-capture',
      'an adjustment of a type not known yet': (e) => e.entryType === 'interchange-adjustment',
      'a fee correction weeks later': (e) => e.topic === 'fees' && e.entryType === 'correction',
    };
    const salesByPsp = new Map<string, SalesEntry>();
    for (const sale of salesEntries) if (sale.pspReference !== null && sale.entryType === 'capture' && !salesByPsp.has(sale.pspReference)) salesByPsp.set(sale.pspReference, sale);
    let joined = 0;
    for (const [kind, matches] of Object.entries(kinds)) {
      const examples = lateOfSales.filter(matches).slice(0, 2);
      expect(examples.length, kind).toBeGreaterThan(0);
      for (const example of examples) {
        const expectedSale = present(salesByPsp.get(example.pspReference), `the sale of ${example.pspReference}`);
        for (const gateway of [plain, mirrored]) {
          const topic = example.topic === 'funds' ? 'FUNDS' : 'FEES';
          const page = present(narrow((await gateway.execute(MovementsWithTheirSale, { ledgerId, date: example.ledgerDate, topic })).ledger, 'Ledger').moneyMovements, 'movements');
          const node = present(
            page.edges.map((edge) => edge.node).find((m) => m.pspReference === example.pspReference && m.entryType === example.entryType && m.amount.minorUnits === example.amount),
            `${kind}: ${example.pspReference} on ${example.ledgerDate}`,
          );
          const sale = present(node.sale, `${kind}: the sale of ${example.pspReference}`);
          expect({ pspReference: sale.pspReference, entryType: sale.entryType, time: Date.parse(sale.time) }).toEqual({
            pspReference: expectedSale.pspReference,
            entryType: expectedSale.entryType,
            time: Date.parse(expectedSale.time),
          });
          const listed = asText(present(sale.moneyMovements, 'moneyMovements'));
          const history = present(sale.history, 'history');
          const own = asText([node as Movement])[0];
          // The sale lists it whenever its search covered the date: always with the mirror, within the window without it.
          if (history.checkedThrough !== null && history.checkedThrough >= example.ledgerDate) expect(listed, `${kind} ${example.pspReference}`).toContain(own);
          else expect({ kind, listed: listed.includes(own ?? ''), complete: history.complete }).toEqual({ kind, listed: false, complete: false });
          if (gateway === mirrored) expect(listed, `${kind} ${example.pspReference}`).toContain(own);
          joined += 1;
        }
      }
    }
    expect(joined).toBeGreaterThanOrEqual(2 * Object.keys(kinds).length);
  }, 180_000);
});

import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect } from 'vitest';
import { payoutAbortWindowDays } from '../../src/bookkeeping/payouts.ts';
import { addDays } from '../../src/kernel/calendar.ts';
import { walkReportFeed, walkSalesFeed, type ReportEntry } from '../emulator/support.ts';
import { graphql } from '../gql/index.ts';
import type { ChangesQuery } from '../gql/graphql.ts';
import { narrow, present } from '../support/answers.ts';
import { today } from '../support/clock.ts';
import { it } from '../support/harness.ts';
import { PartnerClient } from '../support/partner-client.ts';
import { callsTo, routes } from '../support/routes.ts';

/**
 * What a ledger tells about time: payouts that say whether they reached the bank, dates that have
 * not begun, dates before the Sales API has data, and its feeds followed through the graph. Every
 * expectation is computed from the emulator's raw REST answers.
 */

const Payouts = graphql(`
  query PayoutFates($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        payouts(from: $from, to: $to) {
          id
          payoutId
          date
          status
          abort { ledgerDate amount { minorUnits } }
          repaidBy { payoutId }
          repays { payoutId coveredDates }
          coveredDates
          sales(first: 1000) { totalCount }
        }
      }
    }
  }
`);

const PayoutNode = graphql(`
  query PayoutNode($id: ID!) {
    node(id: $id) {
      __typename
      ... on Payout { payoutId status }
    }
  }
`);

const SalesDate = graphql(`
  query SalesDate($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        sales(date: $date, first: 1) {
          totalCount
          isClosed
          isSalesDataComplete
          salesData { solution coverage }
        }
      }
    }
  }
`);

const Reconciled = graphql(`
  query ReconciledBeforeFloor($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        reconciliation(date: $date) {
          isSalesDataComplete
          movementsWithoutSale { reason movement { entryType } }
          amountMismatches { sale { pspReference } }
        }
      }
    }
  }
`);

const Changes = graphql(`
  query Changes($ledgerId: String!, $feed: LedgerFeed!, $after: String, $first: Int) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        changes(feed: $feed, after: $after, first: $first) {
          endCursor
          tryLater
          edges {
            cursor
            node {
              __typename
              ... on MoneyMovement { entryType ledgerDate pspReference amount { minorUnits } }
              ... on Sale { pspReference }
            }
          }
        }
      }
    }
  }
`);

describe('payouts that tell their fate', () => {
  it('marks an aborted payout paid again, links both ways, and lets the new payout cover the old one', async ({ emulator, admin, gateway }) => {
    const ledger = await emulator.ledger((candidate) => candidate.recipientHandles.length === 2 && candidate.events.payoutAborts);
    const funds = (await walkReportFeed(new PartnerClient(emulator.url, emulator.partner), ledger.ledgerId, 'funds')).entries;
    const scheduled = funds.filter((entry) => entry.entryType === 'payout-scheduled');
    const aborts = funds.filter((entry) => entry.entryType === 'payout-aborted');
    const abort = present(aborts.find((entry) => entry.ledgerDate < addDays(today, -2)), 'an abort before the clock');
    const aborted = present(scheduled.find((entry) => entry.pspReference === abort.pspReference), 'the aborted payout');
    const again = present(scheduled.find((entry) => entry.ledgerDate >= abort.ledgerDate), 'the payout paying it again');

    const answer = await gateway.execute(Payouts, { ledgerId: ledger.ledgerId, from: aborted.ledgerDate, to: again.ledgerDate });
    const payouts = present(narrow(answer.ledger, 'Ledger').payouts, 'payouts');
    const first = present(payouts.find((payout) => payout.payoutId === aborted.pspReference), 'aborted payout');
    const second = present(payouts.find((payout) => payout.payoutId === again.pspReference), 'repaying payout');
    expect(first).toMatchObject({ status: 'REPAID', abort: { ledgerDate: abort.ledgerDate, amount: { minorUnits: abort.amount } }, repaidBy: { payoutId: again.pspReference } });
    expect(second.repays?.map((payout) => payout.payoutId)).toContain(aborted.pspReference);
    expect(second.coveredDates).toEqual(expect.arrayContaining(present(first.coveredDates, 'coveredDates')));
    expect(second.sales?.totalCount).toBeGreaterThan(present(first.sales, 'sales').totalCount);
    // Every other payout of the range without an abort, its abort window past, reached the bank.
    const abortedIds = new Set(aborts.map((entry) => entry.pspReference));
    for (const payout of payouts.filter((candidate) => !abortedIds.has(candidate.payoutId) && addDays(candidate.date, payoutAbortWindowDays) < today)) {
      expect(payout, payout.payoutId).toMatchObject({ status: 'PAID', abort: null, repaidBy: null });
    }

    const node = await gateway.execute(PayoutNode, { id: first.id });
    expect(node.node).toEqual({ __typename: 'Payout', payoutId: aborted.pspReference, status: 'REPAID' });

    // The global id of a payout on a ledger not granted: nothing, as for one that does not exist, and nothing read of it.
    const foreign = present((await emulator.ledgers()).find((candidate) => !candidate.grantedTo.includes(emulator.partner.clientId)), 'a ledger not granted');
    await admin.resetStats();
    const foreignId = encodeGlobalID('Payout', JSON.stringify(['payout', foreign.ledgerId, aborted.ledgerDate, '1']));
    expect((await gateway.execute(PayoutNode, { id: foreignId })).node).toBeNull();
    expect(callsTo(await admin.stats(), routes.reportDate)).toBe(0);
  });
});

describe('payouts that can still be aborted', () => {
  it('marks the payouts of the last dates scheduled, not paid, while their abort window runs', async ({ emulator, gateway }) => {
    const ledger = await emulator.ledger((candidate) => candidate.settlement === 'daily' && !candidate.busiest);
    const from = addDays(today, -payoutAbortWindowDays);
    const funds = (await walkReportFeed(new PartnerClient(emulator.url, emulator.partner), ledger.ledgerId, 'funds')).entries;
    const aborted = new Set(funds.filter((entry) => entry.entryType === 'payout-aborted').map((entry) => entry.pspReference));
    const recent = funds.filter((entry) => entry.entryType === 'payout-scheduled' && entry.ledgerDate >= from && !aborted.has(entry.pspReference));
    expect(recent.length).toBeGreaterThan(0);

    const answer = await gateway.execute(Payouts, { ledgerId: ledger.ledgerId, from, to: today });
    const payouts = present(narrow(answer.ledger, 'Ledger').payouts, 'payouts');
    for (const entry of recent) {
      const payout = present(payouts.find((candidate) => candidate.payoutId === entry.pspReference), entry.pspReference);
      expect(payout, entry.pspReference).toMatchObject({ date: entry.ledgerDate, status: 'SCHEDULED', abort: null, repaidBy: null });
    }
  });
});

describe('dates that have not begun, and dates before the Sales API', () => {
  it('answers a future date as bad input naming `date`, and tells whether a sales date is closed', async ({ emulator, gateway }) => {
    const { ledgerId } = await emulator.ledger((candidate) => candidate.kind === 'vm' && candidate.settlement === 'daily');
    const future = await gateway.request(SalesDate, { ledgerId, date: addDays(today, 2) });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'date' });
    const closedOf = async (date: string) => present(narrow((await gateway.execute(SalesDate, { ledgerId, date })).ledger, 'Ledger').sales, 'sales').isClosed;
    expect(await closedOf(today)).toBe(false);
    expect(await closedOf(addDays(today, -3))).toBe(true);
  });

  it('says that Sales data does not exist yet before a floor: a reason, not a mismatch', async ({ emulator, gateway, direct }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && candidate.firstLedgerDate < '2026-03-16');
    const date = ledger.firstLedgerDate;
    const captures = (await direct.report.forDate(ledger.ledgerId, 'funds', date)).entries.filter((entry) => entry.entryType === 'capture');
    expect(captures.length).toBeGreaterThan(0);
    expect(await direct.sales.forDate(ledger.ledgerId, date)).toEqual([]);

    const sales = present(narrow((await gateway.execute(SalesDate, { ledgerId: ledger.ledgerId, date })).ledger, 'Ledger').sales, 'sales');
    expect(sales).toMatchObject({ totalCount: 0, isSalesDataComplete: false });
    expect(sales.salesData).toEqual(expect.arrayContaining([{ solution: 'VARIABLE_AMOUNT', coverage: 'NONE' }, { solution: 'SHOPPING_BASKET', coverage: 'NONE' }]));

    const reconciliation = present(narrow((await gateway.execute(Reconciled, { ledgerId: ledger.ledgerId, date })).ledger, 'Ledger').reconciliation, 'reconciliation');
    const withoutSale = reconciliation.movementsWithoutSale.filter((item) => item.movement.entryType === 'capture');
    expect(withoutSale.length).toBe(captures.length);
    expect(new Set(withoutSale.map((item) => item.reason))).toEqual(new Set(['SALES_DATA_NOT_AVAILABLE']));
    expect(reconciliation).toMatchObject({ isSalesDataComplete: false, amountMismatches: [] });
  });
});

describe("a ledger's feeds in the graph", () => {
  it('follows the funds and Sales feeds page by page to the items of the raw feeds, then says tryLater', async ({ emulator, gateway }) => {
    const ledgers = (await emulator.grantedLedgers()).filter((ledger) => !ledger.busiest).sort((a, b) => b.firstLedgerDate.localeCompare(a.firstLedgerDate));
    const ledgerId = present(ledgers[0], 'a ledger').ledgerId;
    const client = new PartnerClient(emulator.url, emulator.partner);
    const follow = async (feed: 'FUNDS' | 'SALES', first: number) => {
      const nodes: Array<Record<string, unknown>> = [];
      let after: string | null = null;
      for (let pages = 0; ; pages++) {
        if (pages > 200) throw new Error('the feed never says tryLater');
        const answer: ChangesQuery = await gateway.execute(Changes, { ledgerId, feed, after, first });
        const page = present(narrow(answer.ledger, 'Ledger').changes, 'changes');
        for (const { node } of page.edges) nodes.push(node);
        after = page.endCursor;
        if (page.tryLater) return { nodes, after };
      }
    };

    // Pages of 700 items over upstream pages of 1000: a cursor points into an upstream page as well as between them.
    const raw = (await walkReportFeed(client, ledgerId, 'funds')).entries;
    const funds = await follow('FUNDS', 700);
    const asNode = (entry: ReportEntry) => ({ __typename: 'MoneyMovement', entryType: entry.entryType, ledgerDate: entry.ledgerDate, pspReference: entry.pspReference, amount: { minorUnits: entry.amount } });
    expect(funds.nodes).toEqual(raw.map(asNode));
    expect(raw.length).toBeGreaterThan(1400);

    const rawSales = await walkSalesFeed(client, ledgerId);
    const sales = await follow('SALES', 1000);
    expect(sales.nodes).toEqual(rawSales.map((sale) => ({ __typename: 'Sale', pspReference: sale.pspReference })));

    const { after } = funds;
    // A cursor is bound to its ledger and feed: another ledger's, another feed's, or a changed one is bad input naming `after`.
    const other = present(ledgers[1], 'another ledger').ledgerId;
    for (const variables of [
      { ledgerId: other, feed: 'FUNDS' as const, after },
      { ledgerId, feed: 'FEES' as const, after },
      { ledgerId, feed: 'FUNDS' as const, after: `${after.slice(0, -2)}AA` },
    ]) {
      const refused = await gateway.request(Changes, variables);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    }
  });
});

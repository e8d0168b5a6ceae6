import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { addDays, datesFrom } from '../../src/kernel/calendar.ts';
import { apiKeyDigest } from '../../src/tenancy/directory.ts';
import { graphql } from '../gql/index.ts';
import { narrow, present } from '../support/answers.ts';
import { today } from '../support/clock.ts';
import { routes } from '../support/routes.ts';
import { it } from './harness.ts';
import type { RawReportEntry } from './raw.ts';

/**
 * Many ledgers at once: a day of several ledgers summed per currency and per sales unit, and the
 * sales units inside one ledger, each sum equal to the raw entries' own; never across
 * currencies; and only ever over ledgers the caller sees.
 */

const Across = graphql(`
  query LedgersBooksAcross($ledgerIds: [String!], $from: Date!, $to: Date!) {
    ledgersBooks(ledgerIds: $ledgerIds, from: $from, to: $to) {
      from to
      ledgers { ledgerId }
      byCurrency { ...BooksGroupFields }
      bySalesUnit { ...BooksGroupFields }
    }
  }
  fragment BooksGroupFields on BooksGroup {
    currency ledgerIds recipientHandle salesUnitName isClosed
    fundsChange { minorUnits currency }
    movements { captures { count amount { minorUnits currency } } refunds { amount { minorUnits } } fees { captureFees { amount { minorUnits } } } payouts { amount { minorUnits } } }
  }
`);

const ByOwner = graphql(`
  query LedgersBooksByOwner($ledgerIds: [String!], $from: Date!, $to: Date!) {
    ledgersBooks(ledgerIds: $ledgerIds, from: $from, to: $to) { byOwner { currency ledgerIds owner { identifier } fundsChange { minorUnits } } }
  }
`);

const UnitsOfLedger = graphql(`
  query SalesUnitBooks($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger { salesUnitBooks(from: $from, to: $to) { recipientHandle currency fundsChange { minorUnits } movements { captures { count amount { minorUnits } } } } }
    }
  }
`);

interface Sums {
  captures: number;
  captureCount: number;
  fundsChange: number;
}

function sumsOf(funds: readonly RawReportEntry[]): Sums {
  const captures = funds.filter((entry) => entry.entryType === 'capture');
  return {
    captures: captures.reduce((total, entry) => total + entry.amount, 0),
    captureCount: captures.length,
    fundsChange: funds.reduce((total, entry) => total + entry.amount, 0),
  };
}

describe('books of many ledgers', () => {
  it("sum a day of every quiet ledger per currency and per sales unit, as the raw entries do, never across currencies", async ({ emulator, gateway, raw }) => {
    const ledgers = (await emulator.grantedLedgers()).filter((ledger) => !ledger.busiest);
    expect(new Set(ledgers.map((ledger) => ledger.currency)).size).toBeGreaterThan(1);
    const from = addDays(today, -2);
    const to = addDays(today, -1);
    const books = present((await gateway.execute(Across, { ledgerIds: ledgers.map((ledger) => ledger.ledgerId), from, to })).ledgersBooks, 'ledgersBooks');
    expect(books.ledgers.map((ledger) => ledger.ledgerId).sort()).toEqual(ledgers.map((ledger) => ledger.ledgerId).sort());

    const funds = new Map<string, RawReportEntry[]>();
    const closed = new Map<string, boolean>();
    for (const ledger of ledgers) {
      const days = await raw.days(ledger.ledgerId, [from, to]);
      funds.set(ledger.ledgerId, days.flatMap((day) => day.funds.entries));
      closed.set(ledger.ledgerId, days.every((day) => day.funds.isClosed && day.fees.isClosed));
    }
    const currencies = [...new Set(ledgers.map((ledger) => ledger.currency))].sort();
    const byCurrency = present(books.byCurrency, 'byCurrency');
    expect(byCurrency.map((group) => group.currency)).toEqual(currencies);
    for (const group of byCurrency) {
      const members = ledgers.filter((ledger) => ledger.currency === group.currency);
      expect([...group.ledgerIds].sort()).toEqual(members.map((ledger) => ledger.ledgerId).sort());
      const expected = sumsOf(members.flatMap((ledger) => funds.get(ledger.ledgerId) ?? []));
      expect(group.fundsChange).toEqual({ minorUnits: expected.fundsChange, currency: group.currency });
      expect(group.movements.captures).toEqual({ count: expected.captureCount, amount: { minorUnits: expected.captures, currency: group.currency } });
      expect(group.isClosed).toBe(members.every((ledger) => closed.get(ledger.ledgerId)));
    }

    const bySalesUnit = present(books.bySalesUnit, 'bySalesUnit');
    const all = ledgers.flatMap((ledger) => (funds.get(ledger.ledgerId) ?? []).map((entry) => ({ entry, currency: ledger.currency })));
    const keys = [...new Set(all.map(({ entry, currency }) => `${currency}|${entry.recipientHandle ?? ''}`))].sort();
    expect(bySalesUnit.map((group) => `${group.currency}|${group.recipientHandle ?? ''}`).sort()).toEqual(keys);
    for (const group of bySalesUnit) {
      const expected = sumsOf(all.filter(({ entry, currency }) => currency === group.currency && (entry.recipientHandle ?? null) === group.recipientHandle).map(({ entry }) => entry));
      expect(group.fundsChange.minorUnits, `${group.currency} ${group.recipientHandle}`).toBe(expected.fundsChange);
      expect(group.movements.captures.amount.minorUnits).toBe(expected.captures);
    }
    // Σ of the sales units of a currency is the currency's total: nothing lost, nothing twice.
    for (const group of byCurrency) {
      const units = bySalesUnit.filter((unit) => unit.currency === group.currency);
      expect(units.reduce((total, unit) => total + unit.fundsChange.minorUnits, 0)).toBe(group.fundsChange.minorUnits);
    }
  });

  it('split one ledger that settles for two sales units into its units', async ({ emulator, gateway, raw }) => {
    const ledger = await emulator.ledger((candidate) => candidate.recipientHandles.length > 1);
    const from = addDays(today, -7);
    const to = addDays(today, -1);
    const answer = narrow((await gateway.execute(UnitsOfLedger, { ledgerId: ledger.ledgerId, from, to })).ledger, 'Ledger');
    const units = present(answer.salesUnitBooks, 'salesUnitBooks');
    const funds = (await raw.days(ledger.ledgerId, datesFrom(from, to))).flatMap((day) => day.funds.entries);
    for (const handle of ledger.recipientHandles) {
      const unit = units.find((candidate) => candidate.recipientHandle === handle);
      const expected = sumsOf(funds.filter((entry) => entry.recipientHandle === handle));
      expect(present(unit, handle).movements.captures).toEqual({ count: expected.captureCount, amount: { minorUnits: expected.captures } });
      expect(expected.captureCount).toBeGreaterThan(0);
    }
    expect(units.reduce((total, unit) => total + unit.fundsChange.minorUnits, 0)).toBe(sumsOf(funds).fundsChange);
  });

  it("refuse a ledger of another tenant as unknown, reading nothing, and name owners only for the role that may see them", async ({ emulator, openGateway, admin }) => {
    const [mine, theirs] = (await emulator.grantedLedgers()).filter((ledger) => !ledger.busiest);
    if (mine === undefined || theirs === undefined) throw new Error('the demo partner has two ledgers');
    const directory = await mkdtemp(join(tmpdir(), 'ledger-groups-'));
    try {
      const path = join(directory, 'tenants.json');
      const unlimited = { requestsPerMinute: 0, upstreamCallsPerMinute: 0 };
      const tenants = [
        { id: 'mine', ledgers: [mine.ledgerId], apiKeys: [apiKeyDigest('rgw_test_groups_mine_Tq2Wd8Ls4Kx1')], limits: unlimited },
        { id: 'theirs', ledgers: [theirs.ledgerId], apiKeys: [apiKeyDigest('rgw_test_groups_theirs_Yb6Pn0Hc3Mz7')], roles: ['ledger-details'], limits: unlimited },
      ];
      await writeFile(path, JSON.stringify({ tenants }));
      const gateway = await openGateway({ env: { TENANTS_FILE: path } });
      const asMine = { authorization: 'Bearer rgw_test_groups_mine_Tq2Wd8Ls4Kx1' };
      const range = { from: addDays(today, -1), to: addDays(today, -1) };
      await admin.resetStats();
      const refused = await gateway.request(Across, { ledgerIds: [mine.ledgerId, theirs.ledgerId], ...range }, asMine);
      expect(refused.data?.ledgersBooks).toBeNull();
      expect(refused.errors[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(refused.errors[0]?.message).toContain(theirs.ledgerId);
      expect((await admin.stats()).routes[routes.reportDate] ?? 0).toBe(0);

      // "Every ledger I see" is the tenant's own.
      const own = present((await gateway.execute(Across, range, asMine)).ledgersBooks, 'ledgersBooks');
      expect(own.ledgers.map((ledger) => ledger.ledgerId)).toEqual([mine.ledgerId]);

      const owners = await gateway.request(ByOwner, { ledgerIds: [mine.ledgerId], ...range }, asMine);
      expect(owners.errors[0]?.extensions?.code).toBe('FORBIDDEN');
      const allowed = await gateway.execute(ByOwner, { ledgerIds: [theirs.ledgerId], ...range }, { authorization: 'Bearer rgw_test_groups_theirs_Yb6Pn0Hc3Mz7' });
      expect(present(allowed.ledgersBooks?.byOwner, 'byOwner').map((group) => group.ledgerIds)).toEqual([[theirs.ledgerId]]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

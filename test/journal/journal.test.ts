import { describe, expect } from 'vitest';
import { addDays, datesFrom } from '../../src/kernel/calendar.ts';
import { it } from '../bookkeeping/harness.ts';
import { narrow, present } from '../support/answers.ts';
import { JournalLineEntries } from './documents.ts';
import { today } from '../support/clock.ts';
import { journalLines, lineEntries, type Line } from './support.ts';
import { accountNets, captureVatByRate } from './expected.ts';

/**
 * The journal of some dates, against the emulator's raw answers: every date balances to the øre,
 * each account moves by what the raw entries say, output VAT by rate is the VAT of the sales the
 * captures book, and every line traces to its entries.
 */


function netsOf(lines: readonly Line[], date: string): Map<string, number> {
  const nets = new Map<string, number>();
  for (const line of lines.filter((candidate) => candidate.date === date)) {
    const account = line.account.number === '3000' || line.account.number === '2700' ? 'revenue' : line.account.number;
    nets.set(account, (nets.get(account) ?? 0) + line.debit.minorUnits - line.credit.minorUnits);
  }
  return nets;
}

const withoutZeros = <Key>(nets: Map<Key, number>) => new Map([...nets].filter(([, amount]) => amount !== 0));

describe('the journal', () => {
  it.for([
    ['net', 'a net-settled Vippsnummer ledger with order lines'],
    ['gross', 'a gross-settled ledger'],
  ] as const)('of ten dates of %s-settled fees balances and moves each account as the raw entries say', async ([feeSettlement], { emulator, gateway, raw }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && candidate.feeSettlement === feeSettlement && !candidate.busiest);
    const from = addDays(today, -10);
    const to = addDays(today, -1);
    const dates = datesFrom(from, to);
    const [{ journal, lines }, days, dayBefore] = await Promise.all([
      journalLines(gateway, { ledgerId: ledger.ledgerId, from, to }),
      raw.days(ledger.ledgerId, dates),
      raw.day(ledger.ledgerId, addDays(from, -1)),
    ]);
    const isFinal = days.every((day) => day.funds.isClosed && day.fees.isClosed);
    expect({ from: journal.from, to: journal.to, isFinal: journal.isFinal }).toEqual({ from, to, isFinal });
    expect(lines).toHaveLength(present(journal.lines, 'lines').totalCount);

    let debit = 0;
    for (const [index, day] of days.entries()) {
      const onDate = lines.filter((line) => line.date === day.date);
      const dayDebit = onDate.reduce((sum, line) => sum + line.debit.minorUnits, 0);
      expect(dayDebit, `debits = credits on ${day.date}`).toBe(onDate.reduce((sum, line) => sum + line.credit.minorUnits, 0));
      debit += dayDebit;
      expect(withoutZeros(netsOf(lines, day.date)), `account movements on ${day.date}`).toEqual(withoutZeros(accountNets(day)));

      const vat = new Map<number, number>();
      for (const line of onDate.filter((candidate) => candidate.group === 'SALES' && candidate.account.number === '2700' && candidate.vatBasis === 'RATED')) {
        const rate = Math.round(Number(present(line.vatRatePercent, 'vatRatePercent')) * 100);
        vat.set(rate, (vat.get(rate) ?? 0) + line.credit.minorUnits - line.debit.minorUnits);
      }
      expect(withoutZeros(vat), `output VAT by rate on ${day.date}`).toEqual(withoutZeros(captureVatByRate(day, days[index - 1] ?? dayBefore)));
      // Every funds entry is on the clearing account once.
      const clearing = onDate.filter((line) => line.account.number === '1580').reduce((sum, line) => sum + line.entryCount, 0);
      expect(clearing).toBe(day.funds.entries.length);
    }
    expect(present(journal.debit, 'debit').minorUnits).toBe(debit);
    expect(present(journal.credit, 'credit').minorUnits).toBe(debit);
    expect(debit).toBeGreaterThan(0);
    // Decimal strings agree with minor units.
    for (const line of lines) expect(Math.round(Number(line.debit.decimal) * 100)).toBe(line.debit.minorUnits);
    expect(lines.some((line) => line.vatCode === '3')).toBe(true);
    // A payout is one entry: its line names it.
    for (const line of lines.filter((candidate) => candidate.group === 'PAYOUTS')) expect(line.reference).toMatch(new RegExp(`^${ledger.ledgerId}-\\d+$`));
    const [group, settledBy] = feeSettlement === 'net' ? ['FEES_SETTLED', 'fees-retained'] : ['FEES_INVOICED', 'fees-invoiced'];
    const settled = days.some((day) => [...day.funds.entries, ...day.fees.entries].some((entry) => entry.entryType === settledBy));
    expect(lines.some((line) => line.group === group)).toBe(settled);
  });

  it('traces each line to its entries, page by page', async ({ emulator, gateway, raw }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && candidate.feeSettlement === 'net' && !candidate.busiest);
    const date = addDays(today, -3);
    const variables = { ledgerId: ledger.ledgerId, from: date, to: date };
    const first = narrow((await gateway.execute(JournalLineEntries, { ...variables, first: 2 })).ledger, 'Ledger');
    const edges = present(present(first.journal, 'journal').lines, 'lines').edges;
    const clearing = edges.find((edge) => edge.node.trace.includes(':SALES:1580:'));
    const line = present(clearing, 'the clearing line of the sales').node;
    expect(line.entries.totalCount).toBe(line.entryCount);
    expect(line.entries.edges).toHaveLength(Math.min(2, line.entryCount));

    // Pages of 7: a busy date's captures take several.
    let page = await lineEntries(gateway, variables, line.trace, 7, null);
    const all = [...page.edges.map((edge) => edge.node)];
    while (page.pageInfo.hasNextPage) {
      page = await lineEntries(gateway, variables, line.trace, 7, page.pageInfo.endCursor ?? null);
      all.push(...page.edges.map((edge) => edge.node));
    }
    const captures = (await raw.account(ledger.ledgerId, 'funds', date)).entries.filter((entry) => entry.entryType === 'capture');
    expect(all.map((entry) => entry.pspReference)).toEqual(captures.map((entry) => entry.pspReference));
    expect(all.reduce((sum, entry) => sum + entry.amount.minorUnits, 0)).toBe(captures.reduce((sum, entry) => sum + entry.amount, 0));
  });
});

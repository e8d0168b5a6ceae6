import { describe, expect } from 'vitest';
import { disputeDecisionDays } from '../../src/bookkeeping/disputes.ts';
import { addDays } from '../../src/kernel/calendar.ts';
import { walkReportFeed, type ReportEntry } from '../emulator/support.ts';
import { graphql } from '../gql/index.ts';
import { narrow, present } from '../support/answers.ts';
import { today } from '../support/clock.ts';
import { PartnerClient } from '../support/partner-client.ts';
import { calls, routes } from '../support/routes.ts';
import { it } from './harness.ts';

/**
 * A ledger's disputes against the raw funds feed: one per capture retained in the range, its
 * retentions and returns summed exactly, and its outcome decided from them as the schema says.
 */

const Disputes = graphql(`
  query Disputes($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        disputes(from: $from, to: $to) {
          pspReference reference retainedOn returnedOn outcome checkedThrough
          retained { minorUnits } returned { minorUnits }
          movements { entryType ledgerDate amount { minorUnits } }
          sale { pspReference gross { minorUnits } }
          order { reference }
        }
      }
    }
  }
`);

// Whole dates in one page, so that an upstream call is a date read.
it.override('emulatorOptions', { reportPageSize: 10_000 });

function expectedDisputes(funds: readonly ReportEntry[], from: string, to: string) {
  const opened = new Map<string, ReportEntry>();
  for (const entry of funds) {
    if (entry.entryType === 'retained-disputed-capture' && entry.ledgerDate >= from && entry.ledgerDate <= to && !opened.has(entry.pspReference ?? '')) {
      opened.set(entry.pspReference ?? '', entry);
    }
  }
  return [...opened.values()].map((first) => {
    const through = addDays(first.ledgerDate, disputeDecisionDays) < today ? addDays(first.ledgerDate, disputeDecisionDays) : today;
    const later = funds.filter(
      (entry) => entry.pspReference === first.pspReference && entry.ledgerDate >= first.ledgerDate && entry.ledgerDate <= through && entry.entryType.endsWith('-disputed-capture'),
    );
    const retentions = later.filter((entry) => entry.entryType.startsWith('retained'));
    const returns = later.filter((entry) => entry.entryType.startsWith('returned'));
    const retained = retentions.reduce((sum, entry) => sum - entry.amount, 0);
    const returned = returns.reduce((sum, entry) => sum + entry.amount, 0);
    const lastRetention = retentions.at(-1)?.ledgerDate ?? first.ledgerDate;
    const outcome = returned >= retained ? 'WON' : through >= addDays(lastRetention, disputeDecisionDays) ? 'LOST' : 'OPEN';
    return {
      pspReference: first.pspReference,
      reference: first.reference,
      retainedOn: first.ledgerDate,
      returnedOn: returns.at(-1)?.ledgerDate ?? null,
      outcome,
      checkedThrough: through,
      retained: { minorUnits: retained },
      returned: { minorUnits: returned },
      movements: later.map((entry) => ({ entryType: entry.entryType, ledgerDate: entry.ledgerDate, amount: { minorUnits: entry.amount } })),
    };
  });
}

describe("a ledger's disputes", () => {
  it('lists each dispute opened in the range with exact amounts, dates, outcome, sale and order, reading each date once', { timeout: 180_000 }, async ({ emulator, admin, openGateway }) => {
    // The busiest ledger has disputes of every outcome; 76 of its dates take longer than the default deadline on a loaded machine.
    const gateway = await openGateway({ env: { REQUEST_DEADLINE_MS: '60000', REQUEST_DEADLINE_MAX_MS: '60000' } });
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && candidate.busiest);
    const funds = (await walkReportFeed(new PartnerClient(emulator.url, emulator.partner), ledger.ledgerId, 'funds')).entries;
    const outcomes = new Set<string>();
    for (const [from, to] of [
      ['2026-03-16', '2026-04-15'],
      ['2026-04-16', '2026-05-16'],
    ] as const) {
      await admin.resetStats();
      const answer = await gateway.execute(Disputes, { ledgerId: ledger.ledgerId, from, to });
      const disputes = present(narrow(answer.ledger, 'Ledger').disputes, 'disputes');
      const expected = expectedDisputes(funds, from, to);
      expect(disputes.length).toBe(expected.length);
      expect(disputes).toMatchObject(expected);
      for (const dispute of disputes) {
        outcomes.add(dispute.outcome);
        expect(dispute.order).toEqual({ reference: dispute.reference });
        if (dispute.sale !== null) expect(dispute.sale).toMatchObject({ pspReference: dispute.pspReference, gross: { minorUnits: dispute.retained.minorUnits } });
      }
      // The range and the decision window, each funds date once, shared by every dispute.
      expect(await calls(admin, routes.reportDate)).toBeLessThanOrEqual(31 + disputeDecisionDays);
    }
    expect(outcomes).toEqual(new Set(['OPEN', 'WON', 'LOST']));
  });
});

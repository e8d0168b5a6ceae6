import { describe, expect } from 'vitest';
import { errorsOf, reportValidators, type ReportValidators } from './openapi-schema.ts';
import { z } from 'zod';
import { today } from '../support/clock.ts';
import { it } from '../support/harness.ts';
import {
  PartnerClient,
  readableLedgers,
  reportDatePageModel,
  reportFeedPageModel,
  withQuery,
  type LedgerTraits,
} from './support.ts';

/**
 * Every Report answer in a wide sample — every readable ledger, closed dates (first, DST change,
 * weekends, month end), the open date, a future date, both topics, with and without the GDPR
 * fields, and whole feeds — validates against the official OpenAPI document.
 */

const closedDates = ['2026-03-16', '2026-03-22', '2026-03-29', '2026-03-31', '2026-04-25', '2026-05-03', '2026-05-19'];
const openDate = today;
const futureDate = '2026-05-21';

it.override('emulatorOptions', { reportPageSize: 400 });

describe('Report answers against the OpenAPI document', () => {
  let validators: ReportValidators;
  let readable: Array<{ ledger: LedgerTraits; client: PartnerClient }>;

  it.beforeAll(async ({ emulator }) => {
    validators = reportValidators();
    readable = await readableLedgers(emulator);
  });

  function expectValid(body: unknown, what: string): void {
    const valid = validators.reportPage(body);
    expect(valid, `${what}: ${errorsOf(validators.reportPage)}`).toBe(true);
  }

  it('covers every kind of ledger', () => {
    expect(new Set(readable.map(({ ledger }) => ledger.kind))).toEqual(new Set(['vm', 'mpos', 'epayment']));
    expect(readable.length).toBeGreaterThanOrEqual(11);
  });

  it('validates every page of sampled dates, open and future dates, with and without GDPR data', async () => {
    let pages = 0;
    let entries = 0;
    const payerFields: string[] = [];
    for (const { ledger, client } of readable) {
      for (const topic of ['funds', 'fees']) {
        for (const date of [...closedDates, openDate, futureDate]) {
          for (const gdpr of [undefined, 'true']) {
            let cursor: string | undefined;
            do {
              const path = withQuery(`/report/v2/ledgers/${ledger.ledgerId}/${topic}/dates/${date}`, { cursor, includeGDPRSensitiveData: gdpr });
              const answer = await client.get(path);
              expect(answer.status, path).toBe(200);
              expect(answer.headers.get('Vipps-Feed-Page-Size')).toBe('400');
              const body: unknown = JSON.parse(answer.text);
              expectValid(body, path);
              const page = reportDatePageModel.parse(body);
              for (const entry of page.items.filter((item) => item.name !== undefined || item.maskedPhoneNo !== undefined)) {
                payerFields.push(`${ledger.kind}/${gdpr ?? 'none'}/${entry.entryType}`);
              }
              pages += 1;
              entries += page.items.length;
              cursor = page.hasMore ? page.cursor : undefined;
            } while (cursor !== undefined);
          }
        }
      }
    }
    expect(pages).toBeGreaterThan(400);
    expect(entries).toBeGreaterThan(20_000);
    // Payer details only when asked for, and only on VM-number captures and refunds.
    expect(new Set(payerFields)).toEqual(new Set(['vm/true/capture', 'vm/true/refund']));
  });

  it('validates whole feeds of every ledger and topic', async () => {
    for (const { ledger, client } of readable) {
      for (const topic of ['funds', 'fees']) {
        let cursor: string | undefined;
        for (let tryLater = false; !tryLater; ) {
          const path = withQuery(`/report/v2/ledgers/${ledger.ledgerId}/${topic}/feed`, { cursor, includeGDPRSensitiveData: 'true' });
          const answer = await client.get(path);
          const body: unknown = JSON.parse(answer.text);
          expectValid(body, path);
          const page = reportFeedPageModel.parse(body);
          cursor = page.cursor;
          tryLater = page.tryLater;
        }
      }
    }
  }, 120_000);

  it('validates the ledger list, 401, 404 and 400 answers', async ({ emulator }) => {
    const [first] = readable;
    if (!first) throw new Error('no readable ledger');
    let cursor: string | undefined;
    do {
      const answer = await first.client.get(withQuery('/settlement/v1/ledgers', { cursor }));
      const body: unknown = JSON.parse(answer.text);
      expect(validators.ledgerPage(body), errorsOf(validators.ledgerPage)).toBe(true);
      cursor = z.object({ cursor: z.string() }).parse(body).cursor || undefined;
    } while (cursor);
    const unauthorized = await fetch(`${emulator.url}/report/v2/ledgers/${first.ledger.ledgerId}/funds/feed`);
    expect(unauthorized.status).toBe(401);
    expect(validators.unauthorized(await unauthorized.json())).toBe(true);
    for (const path of ['/report/v2/ledgers/000000/funds/feed', `/report/v2/ledgers/${first.ledger.ledgerId}/payouts/feed`, `/report/v2/ledgers/${first.ledger.ledgerId}/funds/dates/2026-02-30`]) {
      const answer = await first.client.get(path);
      expect([400, 404]).toContain(answer.status);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(validators.problem(JSON.parse(answer.text)), errorsOf(validators.problem)).toBe(true);
    }
  });
});

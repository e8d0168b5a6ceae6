import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect } from 'vitest';
import { z } from 'zod';
import { today } from '../support/clock.ts';
import { it } from '../support/harness.ts';
import { errorsOf } from './openapi-schema.ts';
import { readableLedgers, salesPageModel, withQuery, type LedgerTraits, type PartnerClient, type SalesEntry } from './support.ts';

/**
 * The emulator's own OpenAPI document of its Sales API (`GET /sales/openapi.json`) is valid
 * OpenAPI 3.0, and real answers of every Sales route, in a wide sample, validate against the
 * schemas it gives for them: the document describes what the emulator answers, not a wish.
 */

const closedDates = ['2026-03-16', '2026-04-25', '2026-05-03', '2026-05-19'];
const futureDate = '2026-05-21';

const documentModel = z.object({
  openapi: z.string(),
  paths: z.record(z.string(), z.record(z.string(), z.object({ operationId: z.string(), responses: z.record(z.string(), z.unknown()) }))),
});

const responseModel = z.object({ content: z.record(z.string(), z.object({ schema: z.unknown() })) });

interface SalesValidators {
  /** The schema of an answer of an operation with a status, as the document states it. */
  answer(operationId: string, status: number): ValidateFunction;
}

/** Ajv validators of the dereferenced document's response schemas (Ajv reads OpenAPI's `nullable`). */
function salesValidators(dereferenced: unknown): SalesValidators {
  const document = documentModel.parse(dereferenced);
  const ajv = new Ajv({ strict: true, allErrors: true });
  addFormatsModule.default(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (value: number) => Number.isInteger(value) && Math.abs(value) < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isSafeInteger(value) });
  const compiled = new Map<string, ValidateFunction>();
  return {
    answer(operationId, status) {
      const key = `${operationId} ${status}`;
      const known = compiled.get(key);
      if (known) return known;
      const operation = Object.values(document.paths)
        .flatMap((methods) => Object.values(methods))
        .find((candidate) => candidate.operationId === operationId);
      if (!operation) throw new Error(`no operation ${operationId} in the document`);
      const response = responseModel.parse(operation.responses[String(status)]);
      const [content] = Object.values(response.content);
      if (!content) throw new Error(`${operationId} ${status} has no content`);
      const validate = ajv.compile(z.record(z.string(), z.unknown()).parse(content.schema));
      compiled.set(key, validate);
      return validate;
    },
  };
}

describe('the Sales API OpenAPI document', () => {
  let validators: SalesValidators;
  let readable: Array<{ ledger: LedgerTraits; client: PartnerClient }>;

  it.beforeAll(async ({ emulator }) => {
    const answer = await fetch(`${emulator.url}/sales/openapi.json`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const validator = new Validator();
    const result = await validator.validate(await answer.json());
    expect(result.valid, JSON.stringify(result.errors)).toBe(true);
    expect(validator.version).toBe('3.0');
    validators = salesValidators(validator.resolveRefs());
    readable = await readableLedgers(emulator);
  });

  async function expectAnswer(client: PartnerClient, path: string, operationId: string, status = 200): Promise<unknown> {
    const answer = await client.get(path);
    expect(answer.status, `${path}: ${answer.text.slice(0, 200)}`).toBe(status);
    const body: unknown = JSON.parse(answer.text);
    const validate = validators.answer(operationId, status);
    expect(validate(body), `${path}: ${errorsOf(validate)}`).toBe(true);
    return body;
  }

  it('is served without a token and not counted as an upstream call', async ({ emulator }) => {
    const before = (await emulator.admin.stats()).total;
    expect((await fetch(`${emulator.url}/sales/openapi.json`)).status).toBe(200);
    expect((await emulator.admin.stats()).total).toBe(before);
  });

  it('describes every page of sampled dates, in small pages, and the entries found by both lookups', async () => {
    const seen: SalesEntry[] = [];
    let pages = 0;
    for (const { ledger, client } of readable) {
      for (const date of [...closedDates, today, futureDate]) {
        let cursor: string | undefined;
        do {
          const path = withQuery(`/sales/report/v1/ledgers/${ledger.ledgerId}/dates/${date}`, { cursor, pageSize: '40' });
          const page = salesPageModel.parse(await expectAnswer(client, path, 'getSalesByDate'));
          seen.push(...page.items);
          pages += 1;
          cursor = page.hasMore ? (page.cursor ?? undefined) : undefined;
        } while (cursor !== undefined);
      }
      const sample = seen.filter((entry) => entry.currency === ledger.currency).slice(-3);
      for (const entry of sample) {
        await expectAnswer(client, `/sales/report/v1/ledgers/${ledger.ledgerId}/references/${encodeURIComponent(entry.reference)}`, 'getSalesByReference');
        if (entry.pspReference) await expectAnswer(client, `/sales/report/v1/ledgers/${ledger.ledgerId}/psp-references/${entry.pspReference}`, 'getSalesByPspReference');
      }
      await expectAnswer(client, `/sales/report/v1/ledgers/${ledger.ledgerId}/references/no-such-order`, 'getSalesByReference');
      await expectAnswer(client, `/sales/report/v1/ledgers/${ledger.ledgerId}/psp-references/0`, 'getSalesByPspReference');
    }
    expect(pages).toBeGreaterThan(100);
    // The sample holds what the document has to describe: refunds, cash, open amounts, partial VAT.
    expect(new Set(seen.map((entry) => entry.entryType))).toEqual(new Set(['capture', 'refund']));
    expect(new Set(seen.map((entry) => entry.paymentType))).toEqual(new Set(['CARD', 'CASH', 'WALLET']));
    expect(new Set(seen.map((entry) => entry.classification.solution))).toEqual(new Set(['VARIABLE_AMOUNT', 'SHOPPING_BASKET', 'MPOS']));
    expect(seen.some((entry) => entry.pspReference === null)).toBe(true);
    expect(seen.some((entry) => entry.amounts.net === null && entry.lines.length > 0)).toBe(true);
  });

  it('describes the feed from its start to its end', async () => {
    const [first] = readable.filter(({ ledger }) => ledger.kind === 'mpos');
    if (!first) throw new Error('no mPOS ledger');
    let cursor: string | undefined;
    for (let pages = 0; ; pages++) {
      const path = withQuery(`/sales/report/v1/ledgers/${first.ledger.ledgerId}`, { cursor, pageSize: '1000' });
      const page = z.object({ cursor: z.string(), hasMore: z.boolean() }).parse(await expectAnswer(first.client, path, 'getSalesFeed'));
      if (!page.hasMore) break;
      cursor = page.cursor;
      if (pages > 1000) throw new Error('the feed never ends');
    }
  });

  it('describes the 400, 401 and 404 answers', async ({ emulator }) => {
    const [first] = readable;
    if (!first) throw new Error('no readable ledger');
    const { ledgerId } = first.ledger;
    await expectAnswer(first.client, `/sales/report/v1/ledgers/${ledgerId}/dates/2026-02-30`, 'getSalesByDate', 400);
    await expectAnswer(first.client, `/sales/report/v1/ledgers/${ledgerId}?pageSize=1001`, 'getSalesFeed', 400);
    await expectAnswer(first.client, `/sales/report/v1/ledgers/${ledgerId}/dates/2026-05-01?cursor=%%%`, 'getSalesByDate', 400);
    await expectAnswer(first.client, '/sales/report/v1/ledgers/000000/dates/2026-05-01', 'getSalesByDate', 404);
    await expectAnswer(first.client, '/sales/report/v1/ledgers/000000/psp-references/1', 'getSalesByPspReference', 404);
    const unauthorized = await fetch(`${emulator.url}/sales/report/v1/ledgers/${ledgerId}/dates/2026-05-01`);
    expect(unauthorized.status).toBe(401);
    const validate = validators.answer('getSalesByDate', 401);
    expect(validate(await unauthorized.json()), errorsOf(validate)).toBe(true);
  });
});

import { describe, expect } from 'vitest';
import { z } from 'zod';
import { narrow, present } from '../support/answers.ts';
import { routes } from '../support/routes.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { inParallel, it, type FaultLab } from './support.ts';
import { DayDocument, dayKeys, type DayAnswer, type DayKey } from './workload.ts';

/**
 * A portal page reads both APIs; when one of them fails, or answers something unreadable, the
 * page still gets everything else, typed errors on exactly the fields that failed, HTTP 200,
 * and never a number that upstream did not send.
 */

const parts = ['sales', 'funds', 'fees'] as const;
type Part = (typeof parts)[number];

/** The ledger of an answer: null when the whole ledger failed. */
function ledgerOf(answer: DayAnswer) {
  return present(answer.data, 'data').ledger;
}

function partOf(answer: DayAnswer, part: Part): unknown {
  const ledger = ledgerOf(answer);
  return ledger?.__typename === 'Ledger' ? ledger[part] : undefined;
}

function fundsOf(answer: DayAnswer) {
  return present(narrow(ledgerOf(answer), 'Ledger').funds, 'funds').edges.map((edge) => edge.node);
}

function errorPaths(answer: DayAnswer, code: string): string[] {
  return answer.errors.filter((error) => error.extensions?.code === code).map((error) => (error.path ?? []).join('.'));
}

describe('partial answers', () => {
  let lab: FaultLab;
  let proxy: FaultProxy;
  let keys: DayKey[];
  let expected: DayAnswer[];

  it.beforeAll(async ({ lab: fileLab }) => {
    lab = fileLab;
    proxy = await startFaultProxy(lab.emulator.url);
    keys = await dayKeys(lab.emulator, 24);
    const gateway = lab.gateway();
    expected = await inParallel(keys, 8, (key) => gateway.request(DayDocument, { ...key }));
    for (const answer of expected) expect(answer.errors).toEqual([]);
  });
  it.afterAll(async () => {
    await proxy.close();
  });

  it.each([
    { failing: 'Sales', route: routes.salesDate, failed: ['sales'], kept: ['funds', 'fees'] },
    { failing: 'Report', route: routes.reportDate, failed: ['funds', 'fees'], kept: ['sales'] },
  ] as const)('answers the other API when the $failing API fails, with HTTP 200', async ({ route, failed, kept }) => {
    await lab.admin.setFaults({ routes: { [route]: { rate5xx: 1 } } });
    try {
      const [key] = keys;
      const reference = expected[0];
      if (key === undefined || reference === undefined) throw new Error('no ledger date');
      const answer = await lab.gateway().request(DayDocument, { ...key });
      expect(answer.status).toBe(200);
      expect(errorPaths(answer, 'UPSTREAM_UNAVAILABLE').sort()).toEqual(failed.map((part) => `ledger.${part}`).sort());
      expect(answer.errors).toHaveLength(failed.length);
      for (const part of failed) expect(partOf(answer, part)).toBeNull();
      for (const part of kept) expect(partOf(answer, part)).toEqual(partOf(reference, part));
    } finally {
      await lab.admin.setFaults({});
    }
  });

  it('turns cut-off and schema-breaking bodies into UPSTREAM_BAD_RESPONSE, never into a wrong number', async () => {
    const spoiled = { malformedRate: 0.15, schemaBreakRate: 0.15 };
    await lab.admin.setFaults({ seed: 'bad-bodies', routes: { [routes.ledgers]: spoiled, [routes.salesDate]: spoiled, [routes.reportDate]: spoiled } });
    try {
      const gateway = lab.gateway();
      const answers = await inParallel(keys, 8, (key) => gateway.request(DayDocument, { ...key }));
      let spoiledParts = 0;
      answers.forEach((answer, index) => {
        const reference = expected[index];
        if (reference === undefined) throw new Error('no fault-free answer to compare with');
        expect(answer.status).toBe(200);
        // Every error is the bad-body code; nothing else went wrong.
        expect(answer.errors.map((error) => error.extensions?.code)).toEqual(answer.errors.map(() => 'UPSTREAM_BAD_RESPONSE'));
        const failedPaths = new Set(errorPaths(answer, 'UPSTREAM_BAD_RESPONSE'));
        if (failedPaths.has('ledger')) {
          spoiledParts += parts.length;
          expect(ledgerOf(answer)).toBeNull();
          return;
        }
        for (const part of parts) {
          // A part is either exactly what upstream has, or null with its error: no third way.
          if (failedPaths.has(`ledger.${part}`)) {
            spoiledParts += 1;
            expect(partOf(answer, part)).toBeNull();
          } else {
            expect(partOf(answer, part)).toEqual(partOf(reference, part));
          }
        }
      });
      expect(spoiledParts).toBeGreaterThan(0);
      expect(spoiledParts).toBeLessThan(answers.length * parts.length);
    } finally {
      await lab.admin.setFaults({});
    }
  });

  it('ignores fields upstream adds, anywhere in a body', async () => {
    const withExtras = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(withExtras);
      if (typeof value !== 'object' || value === null) return value;
      const copy: Record<string, unknown> = { futureField: { nested: [1, 'two'] }, futureAmount: 1.5 };
      for (const [name, field] of Object.entries(value)) copy[name] = withExtras(field);
      return copy;
    };
    proxy.script = (_method, path) => (path === '/miami/v1/token' ? null : { kind: 'rewrite', rewrite: withExtras });
    const gateway = lab.gateway({ upstream: { baseUrl: proxy.url } });
    const answers = await inParallel(keys.slice(0, 6), 6, (key) => gateway.request(DayDocument, { ...key }));
    expect(answers.map((answer) => answer.data)).toEqual(expected.slice(0, 6).map((answer) => answer.data));
    expect(proxy.seen(/\/dates\//)).toBeGreaterThan(0);
  });

  it('keeps an entry of a type it does not know, with its raw type and its amount', async () => {
    const renamed = 'surprise-adjustment';
    const itemsModel = z.object({ items: z.array(z.record(z.string(), z.unknown())) }).loose();
    proxy.script = (_method, path) =>
      /\/funds\/dates\//.test(path)
        ? {
            kind: 'rewrite',
            rewrite: (body) => {
              const page = itemsModel.parse(body);
              return { ...page, items: page.items.map((item, index) => (index === 0 ? { ...item, entryType: renamed } : item)) };
            },
          }
        : null;
    const index = expected.findIndex((answer) => fundsOf(answer).length > 0);
    const key = keys[index];
    const reference = expected[index];
    if (key === undefined || reference === undefined) throw new Error('no ledger date with funds entries');
    const answer = await lab.gateway({ upstream: { baseUrl: proxy.url } }).request(DayDocument, { ...key });
    expect(answer.errors).toEqual([]);
    const [first] = fundsOf(answer);
    const [before] = fundsOf(reference);
    expect(before?.kind).not.toBe('UNKNOWN');
    expect(first).toMatchObject({ entryType: renamed, kind: 'UNKNOWN' });
    expect(first?.amount).toEqual(before?.amount);
  });
});

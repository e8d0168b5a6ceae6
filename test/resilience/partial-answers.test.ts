import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { calls } from '../sources/emulator.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { inParallel, startFaultLab, type Answer, type FaultLab } from './support.ts';
import { dayDocument, dayKeys, type DayKey } from './workload.ts';

/**
 * A portal page reads both APIs; when one of them fails, or answers something unreadable, the
 * page still gets everything else, typed errors on exactly the fields that failed, HTTP 200,
 * and never a number that upstream did not send.
 */

const parts = ['sales', 'funds', 'fees'] as const;
type Part = (typeof parts)[number];

const dayModel = z.object({ ledger: z.record(z.string(), z.unknown()).nullable() });

function partOf(answer: Answer, part: Part): unknown {
  return dayModel.parse(answer.data).ledger?.[part];
}

const fundsModel = z.object({
  edges: z.array(z.object({ node: z.object({ entryType: z.string(), kind: z.string(), amount: z.unknown() }).loose() })),
});

function fundsOf(answer: Answer) {
  return fundsModel.parse(partOf(answer, 'funds')).edges.map((edge) => edge.node);
}

function errorPaths(answer: Answer, code: string): string[] {
  return answer.errors.filter((error) => error.extensions?.code === code).map((error) => (error.path ?? []).join('.'));
}

describe('partial answers', () => {
  let lab: FaultLab;
  let proxy: FaultProxy;
  let keys: DayKey[];
  let expected: Answer[];

  beforeAll(async () => {
    lab = await startFaultLab();
    proxy = await startFaultProxy(lab.emulator.url);
    keys = await dayKeys(lab, 24);
    const gateway = lab.gateway();
    expected = await inParallel(keys, 8, (key) => gateway.query(dayDocument, { ...key }));
    for (const answer of expected) expect(answer.errors).toEqual([]);
  });
  afterAll(async () => {
    await proxy.close();
    await lab.close();
  });

  it.each([
    { failing: 'Sales', route: calls.salesDate, failed: ['sales'], kept: ['funds', 'fees'] },
    { failing: 'Report', route: calls.reportDate, failed: ['funds', 'fees'], kept: ['sales'] },
  ] as const)('answers the other API when the $failing API fails, with HTTP 200', async ({ route, failed, kept }) => {
    await lab.faults({ routes: { [route]: { rate5xx: 1 } } });
    try {
      const [key] = keys;
      const reference = expected[0];
      if (key === undefined || reference === undefined) throw new Error('no ledger date');
      const answer = await lab.gateway().query(dayDocument, { ...key });
      expect(answer.status).toBe(200);
      expect(errorPaths(answer, 'UPSTREAM_UNAVAILABLE').sort()).toEqual(failed.map((part) => `ledger.${part}`).sort());
      expect(answer.errors).toHaveLength(failed.length);
      for (const part of failed) expect(partOf(answer, part)).toBeNull();
      for (const part of kept) expect(partOf(answer, part)).toEqual(partOf(reference, part));
    } finally {
      await lab.faults({});
    }
  });

  it('turns cut-off and schema-breaking bodies into UPSTREAM_BAD_RESPONSE, never into a wrong number', async () => {
    const spoiled = { malformedRate: 0.15, schemaBreakRate: 0.15 };
    await lab.faults({ seed: 'bad-bodies', routes: { [calls.ledgers]: spoiled, [calls.salesDate]: spoiled, [calls.reportDate]: spoiled } });
    try {
      const gateway = lab.gateway();
      const answers = await inParallel(keys, 8, (key) => gateway.query(dayDocument, { ...key }));
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
          expect(dayModel.parse(answer.data).ledger).toBeNull();
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
      await lab.faults({});
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
    const answers = await inParallel(keys.slice(0, 6), 6, (key) => gateway.query(dayDocument, { ...key }));
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
    const answer = await lab.gateway({ upstream: { baseUrl: proxy.url } }).query(dayDocument, { ...key });
    expect(answer.errors).toEqual([]);
    const [first] = fundsOf(answer);
    const [before] = fundsOf(reference);
    expect(before?.kind).not.toBe('UNKNOWN');
    expect(first).toMatchObject({ entryType: renamed, kind: 'UNKNOWN' });
    expect(first?.amount).toEqual(before?.amount);
  });
});

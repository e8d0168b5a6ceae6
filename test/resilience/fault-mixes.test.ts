import { describe, expect, vi } from 'vitest';
import { startTestEmulator } from '../support/emulator.ts';
import type { TestGateway } from '../support/gateway.ts';
import { routes } from '../support/routes.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { codesOf, faultLab, inParallel, it, type FaultLab } from './support.ts';
import { DayDocument, dayKeys, type DayAnswer, type DayKey } from './workload.ts';

/**
 * The gateway with its production resilience settings against the emulator's fault injection.
 * Each mix loads the same portal page for many ledger dates and compares every answer with the
 * fault-free one; the figures (answers correct, upstream calls, time to answer) are printed as a
 * table at the end. Fault sequences are seeded by the emulator, so a failure replays.
 */

interface Figures {
  mix: string;
  answers: number;
  correct: number;
  'typed failures': number;
  'upstream calls': number;
  'x fault-free': string;
  'p50 ms': number;
  'max ms': number;
}

const figures: Figures[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0);
}

const dataRoutes = [routes.ledgers, routes.reportDate, routes.salesDate] as const;
const onDataRoutes = (spec: Record<string, number>) => ({ routes: Object.fromEntries(dataRoutes.map((route) => [route, spec])) });

describe('fault mixes', () => {
  let lab: FaultLab;
  let keys: DayKey[];
  let expected: DayAnswer[];
  /** Upstream calls of the fault-free run over the first n keys, by n. */
  const faultFreeCalls = new Map<number, number>();

  const isCorrect = (answer: DayAnswer, index: number) =>
    answer.status === 200 && answer.errors.length === 0 && JSON.stringify(answer.data) === JSON.stringify(expected[index]?.data);

  /** Loads the page for the first `count` keys through `gateway`, compares, counts and records the figures. */
  async function run(mix: string, gateway: TestGateway, count: number, concurrency: number, headers: Record<string, string> = {}) {
    await lab.admin.resetStats();
    const answers = await inParallel(keys.slice(0, count), concurrency, (key) => gateway.request(DayDocument, { ...key }, headers));
    const upstreamCalls = (await lab.admin.stats()).total;
    const cleanCalls = faultFreeCalls.get(count) ?? Number.NaN;
    const correct = answers.filter(isCorrect).length;
    const typed = answers.filter((answer, index) => !isCorrect(answer, index) && codesOf(answer).every((code) => code.startsWith('UPSTREAM_'))).length;
    const times = answers.map((answer) => answer.ms);
    figures.push({
      mix,
      answers: answers.length,
      correct,
      'typed failures': typed,
      'upstream calls': upstreamCalls,
      'x fault-free': (upstreamCalls / cleanCalls).toFixed(3),
      'p50 ms': percentile(times, 0.5),
      'max ms': percentile(times, 1),
    });
    return { answers, correct, typed, upstreamCalls, cleanCalls };
  }

  it.beforeAll(async ({ lab: fileLab }) => {
    lab = fileLab;
    keys = await dayKeys(lab.emulator, 120);
    // The emulator generates each date once; the runs below then measure serving only.
    const warm = lab.gateway();
    expected = await inParallel(keys, 10, (key) => warm.request(DayDocument, { ...key }));
    for (const answer of expected) expect(answer.errors).toEqual([]);
    // Each mix is compared with the same pages loaded fault-free by a fresh gateway.
    for (const count of [6, 30, 40]) {
      await lab.admin.resetStats();
      const gateway = lab.gateway();
      await inParallel(keys.slice(0, count), 10, (key) => gateway.request(DayDocument, { ...key }));
      faultFreeCalls.set(count, (await lab.admin.stats()).total);
    }
    faultFreeCalls.set(keys.length, Number.NaN);
    const baseline = await run('fault-free', lab.gateway(), keys.length, 10);
    faultFreeCalls.set(keys.length, baseline.upstreamCalls);
    const [row] = figures;
    if (row !== undefined) row['x fault-free'] = '1.000';
    expect(baseline.correct).toBe(keys.length);
  });

  it.afterAll(() => {
    console.table(figures);
  });

  it('30% 429 with Retry-After: 1: every answer correct within the deadline', async () => {
    await lab.admin.setFaults({ default: { rate429: 0.3, retryAfterSeconds: 1 } });
    try {
      const deadlineMs = 20_000;
      // Forty pages at once: their waits overlap instead of adding up.
      const { answers, correct } = await run('30% 429, Retry-After 1 s', lab.gateway({ env: { REQUEST_DEADLINE_MS: String(deadlineMs) } }), 40, 40);
      expect(correct).toBe(answers.length);
      for (const answer of answers) expect(answer.ms).toBeLessThan(deadlineMs);
    } finally {
      await lab.admin.setFaults({});
    }
  });

  it('20% 5xx: at least 99% correct, the rest typed failures, at most 1.25x the upstream calls', async () => {
    await lab.admin.setFaults({ default: { rate5xx: 0.2 } });
    try {
      const { answers, correct, typed, upstreamCalls, cleanCalls } = await run('20% 5xx', lab.gateway(), keys.length, 10);
      expect(correct).toBeGreaterThanOrEqual(Math.ceil(0.99 * answers.length));
      expect(correct + typed).toBe(answers.length);
      expect(upstreamCalls).toBeLessThanOrEqual(1.25 * cleanCalls);
    } finally {
      await lab.admin.setFaults({});
    }
  });

  it('a route that always fails: the retry budget holds the calls to 1.25x', async () => {
    await lab.admin.setFaults({ routes: { [routes.salesDate]: { rate5xx: 1 } } });
    try {
      // No breaker and no per-second allowance here: only the budget stands between the callers and the route.
      const gateway = lab.gateway({ upstream: { resilience: { breaker: { minCalls: Number.MAX_SAFE_INTEGER }, budget: { minRetriesPerSecond: 0 } } } });
      const { answers, upstreamCalls, cleanCalls } = await run('Sales dates all 5xx, budget only', gateway, 40, 10);
      for (const answer of answers) expect(codesOf(answer)).toEqual(['UPSTREAM_UNAVAILABLE']);
      // Retried, as far as the budget allowed: without it, five attempts a page would make 1.8x.
      expect((await lab.admin.stats()).routes[routes.salesDate] ?? 0).toBeGreaterThan(answers.length);
      expect(upstreamCalls).toBeLessThanOrEqual(1.25 * cleanCalls);
    } finally {
      await lab.admin.setFaults({});
    }
  });

  it('a breaker opens under sustained failure, fails fast while open, and closes when upstream recovers', async () => {
    // Open long enough for the checks below on a busy machine, short enough to wait out.
    const gateway = lab.gateway({ upstream: { resilience: { breaker: { openMs: 3_000 } } } });
    const circuit = () => gateway.upstream.http.circuit(routes.salesDate);
    await lab.admin.setFaults({ routes: { [routes.salesDate]: { rate5xx: 1 } } });
    try {
      await run('Sales dates all 5xx, until the circuit opens', gateway, 6, 6);
      expect(circuit()).toBe('open');

      // Open: the Sales route is not called at all, and the rest of each page still answers.
      const whileOpen = await run('... while the circuit is open', gateway, 6, 6);
      expect((await lab.admin.stats()).routes[routes.salesDate]).toBeUndefined();
      for (const answer of whileOpen.answers) {
        expect(answer.errors).toHaveLength(1);
        expect(answer.errors[0]).toMatchObject({ path: ['ledger', 'sales'], extensions: { code: 'UPSTREAM_UNAVAILABLE', retryAfterSeconds: expect.any(Number) } });
      }
    } finally {
      await lab.admin.setFaults({});
    }
    // Recovered: after the open period one probe goes through, succeeds, and closes the circuit.
    await vi.waitFor(() => expect(circuit()).toBe('half-open'), { timeout: 6_000, interval: 50 });
    const recovered = await run('... after upstream recovered', gateway, 6, 1);
    expect(recovered.correct).toBe(6);
    expect(circuit()).toBe('closed');
  });

  it('a token that expires while a call is in flight: one refresh, no failure', async () => {
    // An emulator of its own: tokens of three seconds.
    const tokenEmulator = await startTestEmulator({ tokenTtlSeconds: 3 });
    const tokenLab = faultLab(tokenEmulator);
    try {
      const [key] = await dayKeys(tokenEmulator, 1);
      if (key === undefined) throw new Error('no ledger date');
      const reference = await tokenLab.gateway().request(DayDocument, { ...key });
      const gateway = tokenLab.gateway();
      // Sales dates answer 2.5 s late and check the token when they answer, as a slow upstream
      // does: a call sent with a token the gateway rightly believes valid meets its expiry on the way.
      await tokenLab.admin.setFaults({ routes: { [routes.salesDate]: { latencyMs: 2_500 } } });
      // The emulator rounds expiry up to a whole second: fetched late in a second, the token
      // lives what `expires_in` says, as the gateway believes.
      await sleep((1_900 - (Date.now() % 1_000)) % 1_000);
      await tokenLab.admin.resetStats();
      await gateway.upstream.http.tokens.get();
      await sleep(1_000);
      const answer = await gateway.request(DayDocument, { ...key });
      const stats = await tokenLab.admin.stats();
      figures.push({
        mix: 'token expires mid-query',
        answers: 1,
        correct: answer.errors.length === 0 && JSON.stringify(answer.data) === JSON.stringify(reference.data) ? 1 : 0,
        'typed failures': answer.errors.length === 0 ? 0 : 1,
        'upstream calls': stats.total,
        'x fault-free': '-',
        'p50 ms': Math.round(answer.ms),
        'max ms': Math.round(answer.ms),
      });
      expect(answer.errors).toEqual([]);
      expect(answer.data).toEqual(reference.data);
      expect(stats.routes[routes.token]).toBe(2);
      expect(stats.routes[routes.salesDate]).toBe(2);
    } finally {
      await tokenLab.close();
      await tokenEmulator.close();
    }
  });

  describe('hangs', () => {
    let proxy: FaultProxy;
    it.beforeAll(async () => {
      proxy = await startFaultProxy(lab.emulator.url);
    });
    it.afterAll(() => proxy.close());

    it('20% of calls never answered: the deadline holds, and open sockets return to their baseline', async () => {
      const gateway = lab.gateway({ upstream: { baseUrl: proxy.url } });
      // Warm the pool with the same traffic, fault-free: that many sockets is the baseline.
      await inParallel(keys.slice(0, 30), 10, (key) => gateway.request(DayDocument, { ...key }));
      const baseline = proxy.openSockets();
      await lab.admin.setFaults({ ...onDataRoutes({ hangRate: 0.2 }) });
      try {
        const deadlineMs = 1_500;
        const { answers, correct } = await run('20% hangs, deadline 1.5 s', gateway, 30, 10, { 'x-request-timeout-ms': String(deadlineMs) });
        for (const answer of answers) {
          // Allowance for the work after the deadline (mapping errors, writing the answer) on a busy machine.
          expect(answer.ms).toBeLessThan(deadlineMs + 1_000);
          expect(new Set(codesOf(answer))).toEqual(new Set(answer.errors.length === 0 ? [] : ['UPSTREAM_TIMEOUT']));
        }
        expect(correct).toBeLessThan(answers.length);
        expect(correct).toBeGreaterThan(0);
        await vi.waitFor(() => expect(proxy.openExchanges()).toBe(0), { timeout: 2_000 });
        await vi.waitFor(() => expect(proxy.openSockets()).toBeLessThanOrEqual(baseline), { timeout: 10_000, interval: 200 });
      } finally {
        await lab.admin.setFaults({});
      }
    });
  });
});

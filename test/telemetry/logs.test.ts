import { describe, expect } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../../src/logger.ts';
import { basicAuthorization } from '../../src/sources/http/token.ts';
import { it } from '../support/harness.ts';
import { LedgerDay } from '../support/ledger-day.ts';
import { routes } from '../support/routes.ts';

/**
 * What an operator reads about a request whose upstream failed: every line about upstream written
 * while it ran names its request id, the answer's own; one access line closes it with its outcome, duration
 * and upstream calls; and no line holds the accounting secret, its Basic header or the token.
 */

const lineModel = z.object({ level: z.string(), msg: z.string(), requestId: z.string().optional() }).loose();

describe('logs of an upstream failure', () => {
  it('carry the request id on every line, end with one access line, and hold no secret', async ({ emulator, admin, openGateway }) => {
    const written: string[] = [];
    // The real logger (redaction and all), at its most talkative.
    const logger = createLogger({ level: 'debug', write: (line) => written.push(line) });
    const gateway = await openGateway({ logger });
    await gateway.execute(LedgerDay, { ledgerId: '241684', date: '2026-05-15' });
    const token = await gateway.upstream.http.tokens.get();

    await admin.setFaults({ seed: 'logs', routes: { [routes.reportDate]: { rate5xx: 1 } } });
    await admin.resetStats();
    const before = written.length;
    let answer;
    try {
      answer = await gateway.request(LedgerDay, { ledgerId: '241684', date: '2026-05-16' });
    } finally {
      await admin.setFaults({});
    }
    const upstream = await admin.stats();
    const requestId = answer.headers.get('x-gateway-request-id');
    expect(answer.errors.map((error) => error.extensions?.code)).toContain('UPSTREAM_UNAVAILABLE');

    const lines = written.slice(before).map((line) => lineModel.parse(JSON.parse(line)));
    const failures = lines.filter((line) => line.msg === 'upstream request failed');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.filter((line) => line.level === 'warn').length).toBeLessThanOrEqual(3);
    // Every line about upstream (the attempts, the retries, the fields that failed), and the access line.
    const aboutUpstream = lines.filter((line) => 'route' in line || line.msg.includes('upstream') || line.msg === 'access');
    expect(aboutUpstream.length).toBeGreaterThan(failures.length);
    for (const line of aboutUpstream) expect(line.requestId, JSON.stringify(line)).toBe(requestId);

    const access = lines.filter((line) => line.msg === 'access');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ level: 'info', outcome: 'partial', status: 200, operation: 'PortalLedgerDay', upstreamCalls: upstream.total });
    expect(access[0]?.ms).toEqual(expect.any(Number));

    const { clientId, clientSecret } = emulator.partner;
    const everything = written.join('');
    for (const secret of [clientSecret, basicAuthorization(clientId, clientSecret).slice('Basic '.length), token]) {
      expect(everything).not.toContain(secret);
    }
  });
});

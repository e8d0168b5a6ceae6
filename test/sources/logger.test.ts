import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../../src/logger.ts';

const lineModel = z.object({ time: z.string(), level: z.string(), msg: z.string() }).loose();

describe('createLogger', () => {
  it('writes one JSON object per line from its level up, with the fields beside the message', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (line) => lines.push(line), clock: () => Date.parse('2026-05-04T10:00:00Z') });
    logger.debug('hidden');
    logger.info('upstream call', { route: 'GET /x', status: 200 });
    logger.error('failed', { error: new Error('boom'), big: 12n });

    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    const [info, error] = lines.map((line) => lineModel.parse(JSON.parse(line)));
    expect(info).toEqual({ time: '2026-05-04T10:00:00.000Z', level: 'info', msg: 'upstream call', route: 'GET /x', status: 200 });
    expect(error).toMatchObject({ level: 'error', msg: 'failed', error: { name: 'Error', message: 'boom' }, big: '12' });
  });

  it('writes nothing below warn at level warn', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    expect(lines.map((line) => lineModel.parse(JSON.parse(line)).msg)).toEqual(['c']);
  });

  it('redacts secret fields at every depth, in arrays and errors too, and leaves out what lies deeper', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (line) => lines.push(line) });
    const failure = Object.assign(new Error('refused'), { authorization: 'Bearer abc', response: { headers: { cookie: 'session=abc' } } });
    logger.info('secrets', {
      token: 'abc',
      request: { headers: { authorization: 'Bearer abc', accept: 'json' } },
      attempts: [{ clientSecret: 'abc', status: 401 }],
      deep: { a: { b: { c: { d: { password: 'abc' } } } } },
      error: failure,
    });
    const [line = ''] = lines;
    expect(line).not.toContain('abc');
    const written = JSON.parse(line) as Record<string, unknown>;
    expect(written).toMatchObject({
      token: '[redacted]',
      request: { headers: { authorization: '[redacted]', accept: 'json' } },
      attempts: [{ clientSecret: '[redacted]', status: 401 }],
      error: { message: 'refused', authorization: '[redacted]' },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { RedisHealth } from '../../src/sources/redis/health.ts';
import { recordingLogger } from './recording-logger.ts';

describe('Redis health logging', () => {
  it('logs an outage once when it starts and once, with counts, when it ends', () => {
    let now = 0;
    const logger = recordingLogger();
    const health = new RedisHealth(logger, 60_000, () => now);
    health.connected();
    health.connectionFailed(new Error('ECONNREFUSED'));
    for (let i = 0; i < 100; i += 1) health.skipped();
    health.connectionFailed(new Error('ECONNREFUSED'));
    health.commandFailed('GET', new Error('timeout'));
    now += 4_000;
    health.connected();

    expect(logger.lines.map((line) => `${line.level} ${line.msg}`)).toEqual([
      'info redis cache connected',
      'warn redis cache unavailable: answering as a miss until it is back',
      'info redis cache available again',
    ]);
    expect(logger.lines[2]?.fields).toEqual({ downForMs: 4_000, failedCommands: 1, skippedCommands: 100, connectionErrors: 2 });
    expect(health.isUp()).toBe(true);
  });

  it('only counts a flapping Redis, and reports the count with the next line it logs', () => {
    let now = 0;
    const logger = recordingLogger();
    const health = new RedisHealth(logger, 60_000, () => now);
    for (let flap = 0; flap < 10; flap += 1) {
      health.commandFailed('GET', new Error('timeout'));
      expect(health.isUp()).toBe(false);
      now += 1_000;
      health.succeeded();
    }
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('info')).toHaveLength(1);

    now += 60_000;
    health.commandFailed('SET', new Error('timeout'));
    expect(logger.at('warn')).toHaveLength(2);
    expect(logger.at('warn')[1]?.fields).toMatchObject({ command: 'SET', shortOutagesNotLogged: 9 });
  });
});

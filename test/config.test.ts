import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

function configErrorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const issuesOf = (env: NodeJS.ProcessEnv): string[] => configErrorOf(env).issues;

describe('loadConfig', () => {
  it('runs with nothing set: localhost:4000, embedded emulator, in-memory cache', () => {
    const config = loadConfig({});
    expect(config.server).toEqual({ host: 'localhost', port: 4000, idleGcSeconds: 30 });
    expect(config.upstream).toBeNull();
    expect(config.redis).toBeNull();
    expect(config.emulator).toEqual({ seed: 'demo', now: null, port: 4010, adminToken: null });
    expect(config.logLevel).toBe('info');
    expect(config.limits.requestTimeoutMs).toBeGreaterThan(0);
  });

  it('reads a production upstream, without a trailing slash, with default system headers', () => {
    const config = loadConfig({
      VIPPS_BASE_URL: 'https://api.vipps.no/',
      AUTH_MODE: 'open',
      VIPPS_CLIENT_ID: 'client',
      VIPPS_CLIENT_SECRET: 'secret',
      REDIS_URL: 'redis://127.0.0.1:6379',
      HOST: '0.0.0.0',
      PORT: '8080',
      LOG_LEVEL: 'debug',
    });
    expect(config.upstream).toEqual({
      baseUrl: 'https://api.vipps.no',
      clientId: 'client',
      clientSecret: 'secret',
      systemName: 'vmp-reporting-gateway',
      systemVersion: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    expect(config.redis?.url).toBe('redis://127.0.0.1:6379');
    expect(config.server).toEqual({ host: '0.0.0.0', port: 8080, idleGcSeconds: 30 });
    expect(config.logLevel).toBe('debug');
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ PORT: '', VIPPS_BASE_URL: '', REDIS_URL: '' });
    expect(config.server.port).toBe(4000);
    expect(config.upstream).toBeNull();
    expect(config.redis).toBeNull();
  });

  it('names each missing credential when a base URL is set', () => {
    expect(issuesOf({ VIPPS_BASE_URL: 'https://api.vipps.no' })).toEqual([
      'VIPPS_CLIENT_ID: is required when VIPPS_BASE_URL is set',
      'VIPPS_CLIENT_SECRET: is required when VIPPS_BASE_URL is set',
    ]);
    expect(issuesOf({ VIPPS_BASE_URL: 'https://api.vipps.no', VIPPS_CLIENT_ID: 'client' })).toEqual([
      'VIPPS_CLIENT_SECRET: is required when VIPPS_BASE_URL is set',
    ]);
  });

  it('refuses credentials without a base URL rather than serving emulator data', () => {
    expect(issuesOf({ VIPPS_CLIENT_SECRET: 'secret' })).toEqual([
      expect.stringMatching(/^VIPPS_CLIENT_SECRET: is set but VIPPS_BASE_URL is not/),
    ]);
  });

  it('reports every problem at once, each naming its variable', () => {
    const { issues, message } = configErrorOf({
      PORT: 'eighty',
      VIPPS_BASE_URL: 'ftp://example.test',
      VIPPS_SYSTEM_NAME: 'x'.repeat(31),
      VIPPS_SYSTEM_VERSION: '1'.repeat(31),
      REDIS_URL: 'http://localhost:6379',
      EMULATOR_NOW: 'yesterday',
      EMULATOR_PORT: '70000',
      EMULATOR_ADMIN_TOKEN: 'short',
      LOG_LEVEL: 'loud',
      UPSTREAM_TIMEOUT_MS: '0',
    });
    const variables = issues.map((issue) => issue.split(':')[0]).sort();
    expect(variables).toEqual([
      'EMULATOR_ADMIN_TOKEN',
      'EMULATOR_NOW',
      'EMULATOR_PORT',
      'LOG_LEVEL',
      'PORT',
      'REDIS_URL',
      'UPSTREAM_TIMEOUT_MS',
      'VIPPS_BASE_URL',
      'VIPPS_CLIENT_ID',
      'VIPPS_CLIENT_SECRET',
      'VIPPS_SYSTEM_NAME',
      'VIPPS_SYSTEM_VERSION',
    ]);
    for (const issue of issues) expect(message).toContain(issue);
    expect(issues).toContain('VIPPS_SYSTEM_NAME: must be at most 30 characters');
    expect(issues).toContain('EMULATOR_PORT: must be at most 65535');
    expect(issues).toContain('EMULATOR_ADMIN_TOKEN: must be at least 16 characters');
  });

  it('accepts an emulator clock with an offset', () => {
    expect(loadConfig({ EMULATOR_NOW: '2026-05-04T12:00:00+02:00', EMULATOR_SEED: 's1' }).emulator).toEqual({
      seed: 's1',
      now: '2026-05-04T12:00:00+02:00',
      port: 4010,
      adminToken: null,
    });
  });
});

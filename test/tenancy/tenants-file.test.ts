import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { apiKeyDigest, TenantDirectory } from '../../src/tenancy/directory.ts';
import { parseTenants, TenantsFileError } from '../../src/tenancy/tenants.ts';

const keySets = new Set(['default', 'nordisk']);

function problemsOf(text: string): string[] {
  try {
    parseTenants('tenants.yaml', text, keySets);
  } catch (error) {
    if (error instanceof TenantsFileError) return error.issues;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('the tenants file', () => {
  it('reads YAML and JSON alike, with defaults for what is left out', () => {
    const digest = apiKeyDigest('key-a');
    const yaml = parseTenants('t.yaml', `tenants:\n  - id: a\n    ledgers: ["1", "2"]\n    apiKeys: [${digest}]\n`, keySets);
    const json = parseTenants('t.json', JSON.stringify({ tenants: [{ id: 'a', ledgers: ['1', '2'], apiKeys: [digest] }] }), keySets);
    for (const [tenant] of [yaml, json]) {
      expect(tenant?.id).toBe('a');
      expect(tenant?.ledgers).toEqual(new Set(['1', '2']));
      expect(tenant?.keySet).toBe('default');
      expect(tenant?.roles.size).toBe(0);
      expect(tenant?.apiKeyDigests.map((stored) => stored.toString('hex'))).toEqual([digest]);
    }
  });

  it('reports every problem at once, each with its place', () => {
    const digest = apiKeyDigest('shared');
    const problems = problemsOf(
      [
        'tenants:',
        '  - id: a',
        '    ledgers: all',
        `    apiKeys: [${digest}, not-a-digest]`,
        '    roles: [admin]',
        '  - id: "bad id!"',
        '    ledgers: "*"',
        '    colour: red',
      ].join('\n'),
    );
    expect(problems).toEqual([
      'tenants.0.ledgers: must be "*" or a list of ledger ids',
      'tenants.0.apiKeys.1: must be the SHA-256 hex digest of a key (64 hex digits), never the key itself',
      expect.stringMatching(/^tenants\.0\.roles\.0: must be one of /),
      'tenants.1.id: must be 1 to 64 letters, digits, dots, dashes or underscores',
      expect.stringMatching(/^tenants\.1: Unrecognized key: "colour"/),
    ]);
  });

  it('refuses a key shared by two tenants, a tenant named twice and an unknown key set', () => {
    const digest = apiKeyDigest('shared');
    const problems = problemsOf(
      [
        'tenants:',
        `  - { id: a, ledgers: "*", apiKeys: [${digest}] }`,
        `  - { id: a, ledgers: "*", apiKeys: [${digest}], credentials: elsewhere }`,
      ].join('\n'),
    );
    expect(problems).toEqual([
      'tenants.1.id: "a" is used twice',
      'tenants.1.apiKeys: a key of "a" is also a key of "a"',
      'tenants.1.credentials: no accounting key set "elsewhere" (known: default, nordisk)',
    ]);
  });

  it('says why a file that is not YAML at all is refused', () => {
    expect(problemsOf('tenants: [')[0]).toMatch(/^does not parse: /);
  });

  it('finds the tenant of an API key by its digest, and no tenant for any other key', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenants-'));
    const path = join(folder, 'tenants.json');
    await writeFile(path, JSON.stringify({ tenants: [{ id: 'a', ledgers: '*', apiKeys: [apiKeyDigest('key-a')] }, { id: 'b', ledgers: ['1'], apiKeys: [apiKeyDigest('key-b')] }] }));
    const directory = await TenantDirectory.load(path, keySets);
    expect(directory.byApiKey('key-a')?.id).toBe('a');
    expect(directory.byApiKey('key-b')?.id).toBe('b');
    expect(directory.byApiKey('key-c')).toBeNull();
    expect(directory.byApiKey(apiKeyDigest('key-a'))).toBeNull();
  });

  it('reloads a changed file, and keeps the tenants in force when the new file is broken', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenants-'));
    const path = join(folder, 'tenants.json');
    await writeFile(path, JSON.stringify({ tenants: [{ id: 'a', ledgers: '*', apiKeys: [apiKeyDigest('old')] }] }));
    const directory = await TenantDirectory.load(path, keySets);
    const errors: string[] = [];
    const logger: Logger = { ...silentLogger, error: (message) => errors.push(message) };

    await writeFile(path, JSON.stringify({ tenants: [{ id: 'a', ledgers: '*', apiKeys: [apiKeyDigest('new')] }] }));
    expect(await directory.reload(logger)).toBe(true);
    expect(directory.byApiKey('old')).toBeNull();
    expect(directory.byApiKey('new')?.id).toBe('a');

    await writeFile(path, '{ "tenants": [ { "id": "a" } ] }');
    expect(await directory.reload(logger)).toBe(false);
    expect(errors).toEqual(['tenants file did not reload; the tenants before it stay in force']);
    expect(directory.byApiKey('new')?.id).toBe('a');
  });
});

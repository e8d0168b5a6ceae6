import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { graphql } from '../gql/index.ts';
import { apiKeyDigest } from '../../src/tenancy/directory.ts';
import { it } from '../support/harness.ts';

/**
 * Trusted documents: the manifest codegen writes (`test/gql/persisted-documents.json`) is what
 * the gateway trusts; a portal tenant sends document ids only, a developer may send anything.
 */

const Ledgers = graphql(`
  query TrustedLedgers {
    ledgers(first: 5) {
      totalCount
    }
  }
`);

const manifest = 'test/gql/persisted-documents.json';
const hashOf = (document: string) => createHash('sha256').update(document).digest('hex');

async function tenantsFile(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'trusted-'));
  const path = join(folder, 'tenants.yaml');
  await writeFile(
    path,
    [
      'tenants:',
      `  - { id: portal, ledgers: "*", apiKeys: [${apiKeyDigest('portal-key')}], roles: [trusted-documents-only] }`,
      `  - { id: developer, ledgers: "*", apiKeys: [${apiKeyDigest('developer-key')}] }`,
    ].join('\n'),
  );
  return path;
}

const post = (body: unknown, key: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
  body: JSON.stringify(body),
});

describe('trusted documents', () => {
  it('answers a trusted document by its id, by POST and by GET, to a tenant limited to them', async ({ openGateway }) => {
    const gateway = await openGateway({ env: { TENANTS_FILE: await tenantsFile(), TRUSTED_DOCUMENTS: manifest } });
    // The id codegen gave the document: the same hash its manifest lists it under.
    const id = (Ledgers as unknown as { __meta__: { hash: string } }).__meta__.hash;
    const byPost = await gateway.yoga.fetch('http://localhost/graphql', post({ documentId: id }, 'portal-key'));
    expect(byPost.status).toBe(200);
    expect(await byPost.json()).toMatchObject({ data: { ledgers: { totalCount: expect.any(Number) } } });
    const byGet = await gateway.yoga.fetch(`http://localhost/graphql?documentId=${encodeURIComponent(id)}`, {
      headers: { authorization: 'Bearer portal-key', 'x-graphql-yoga-csrf': '1', accept: 'application/json' },
    });
    expect(byGet.status).toBe(200);
    expect(await byGet.json()).toMatchObject({ data: { ledgers: { totalCount: expect.any(Number) } } });
  });

  it('refuses a document of its own from a tenant limited to trusted ones, and lets a developer send one', async ({ openGateway, admin }) => {
    const gateway = await openGateway({ env: { TENANTS_FILE: await tenantsFile(), TRUSTED_DOCUMENTS: manifest } });
    await admin.resetStats();
    const crafted = await gateway.yoga.fetch('http://localhost/graphql', post({ query: '{ ledgers(first: 1) { totalCount } }' }, 'portal-key'));
    expect(crafted.status).toBe(403);
    expect(await crafted.json()).toMatchObject({ errors: [{ extensions: { code: 'PERSISTED_QUERY_ONLY' } }] });
    const unknown = await gateway.yoga.fetch('http://localhost/graphql', post({ documentId: `sha256:${'0'.repeat(64)}` }, 'portal-key'));
    expect(await unknown.json()).toMatchObject({ errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    expect((await admin.stats()).total).toBe(0);
    const developer = await gateway.yoga.fetch('http://localhost/graphql', post({ query: '{ ledgers(first: 1) { totalCount } }' }, 'developer-key'));
    expect(developer.status).toBe(200);
  });

  it('refuses at start a manifest whose document does not match its hash', async ({ openGateway }) => {
    const folder = await mkdtemp(join(tmpdir(), 'trusted-'));
    const path = join(folder, 'forged.json');
    await writeFile(path, JSON.stringify({ [`sha256:${hashOf('{ ledgers { totalCount } }')}`]: '{ ledgers { edges { node { ledgerId } } } }' }));
    await expect(openGateway({ env: { TRUSTED_DOCUMENTS: path } })).rejects.toThrow(/is not the sha256 of its document/);
  });
});

import { readFile } from 'node:fs/promises';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../examples/portal/codegen.ts';
import { portalManifest } from './world.ts';

/**
 * The manifest the gateway trusts for the portal is a generated file: it must be what codegen
 * makes of the portal's documents and today's `schema.graphql`, or the page sends ids the
 * gateway does not know (`npm run portal:codegen` brings it up to date).
 */

describe("the portal's trusted documents", () => {
  it('are what codegen makes of the documents and the schema now', async () => {
    const outputs: { filename: string; content: string }[] = await generate({ ...config, silent: true }, false);
    const manifest = outputs.find((output) => output.filename.endsWith('persisted-documents.json'));
    expect(manifest, 'codegen makes a manifest').toBeDefined();
    // The file written names each hash with its algorithm (`sha256:…`); the output in memory does not yet.
    const byHash = (content: string) =>
      Object.fromEntries(Object.entries(JSON.parse(content) as Record<string, string>).map(([id, document]) => [id.replace(/^sha256:/, ''), document]));
    const written = byHash(await readFile(portalManifest, 'utf8'));
    // One per view, and the live stream of closed dates.
    expect(Object.keys(written)).toHaveLength(5);
    expect(written, 'the manifest is stale: run npm run portal:codegen').toEqual(byHash(manifest!.content));
  });
});

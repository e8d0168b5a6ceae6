import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * Trusted documents: the GraphQL documents a partner portal ships, known to the gateway ahead
 * of time by their SHA-256 hash. GraphQL Code Generator's client preset writes the manifest
 * (`persistedDocuments: { hashAlgorithm: 'sha256' }` → `persisted-documents.json`, hash →
 * document); the operator lists the manifests in `TRUSTED_DOCUMENTS`. A manifest entry whose hash
 * is not the hash of its document is refused at start: nobody can slip a document in under a
 * trusted name.
 */

const manifestModel = z.record(z.string().regex(/^(?:sha256:)?[0-9a-f]{64}$/, 'must be a sha256 hash (hex, optionally `sha256:`)'), z.string().min(1));

export class TrustedDocumentsError extends Error {
  constructor(path: string, problems: string[]) {
    super(`Trusted documents ${path} refused:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'TrustedDocumentsError';
  }
}

export async function readTrustedDocuments(paths: readonly string[]): Promise<ReadonlyMap<string, string>> {
  const documents = new Map<string, string>();
  for (const path of paths) {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new TrustedDocumentsError(path, [`cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}`]);
    }
    const parsed = manifestModel.safeParse(raw);
    if (!parsed.success) throw new TrustedDocumentsError(path, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
    const problems: string[] = [];
    for (const [key, document] of Object.entries(parsed.data)) {
      const hash = documentHash(key);
      if (hash === null || createHash('sha256').update(document).digest('hex') !== hash) problems.push(`${key}: is not the sha256 of its document`);
      else documents.set(hash, document);
    }
    if (problems.length > 0) throw new TrustedDocumentsError(path, problems);
  }
  return documents;
}

/** `sha256:<hex>` (the trusted documents convention) or a bare hex hash. */
export function documentHash(documentId: string): string | null {
  const match = /^(?:sha256:)?([0-9a-f]{64})$/.exec(documentId);
  return match?.[1] ?? null;
}

import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { TenantRates } from './rate-limits.ts';
import { roleNames, type Role } from './roles.ts';

/**
 * The tenants file (`TENANTS_FILE`, JSON or YAML): who may call the gateway, with which keys,
 * seeing which ledgers, drawing on which accounting key set. It holds no secret: API keys are
 * stored as their SHA-256 digests, and key sets are named here but configured in the
 * environment.
 *
 * ```yaml
 * tenants:
 *   - id: kaffebrenneriet
 *     ledgers: ["370540"]
 *     apiKeys: ["<sha256 hex of the key>"]
 *     roles: [ledger-details]
 *     credentials: default
 * ```
 */

export interface Tenant {
  id: string;
  /** The upstream ledger ids it may see, or every ledger its key set is granted. */
  ledgers: '*' | ReadonlySet<string>;
  /** SHA-256 digests of its API keys. */
  apiKeyDigests: readonly Buffer[];
  roles: ReadonlySet<Role>;
  /** The accounting key set its ledgers are read with. */
  keySet: string;
  /** Its own budgets per minute, where they differ from the gateway's defaults. */
  rates: Partial<TenantRates>;
}

const digestPattern = /^[0-9a-f]{64}$/i;

const tenantModel = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][\w.-]{0,63}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores'),
    ledgers: z.union([z.literal('*'), z.array(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an upstream ledger id'))], {
      error: 'must be "*" or a list of ledger ids',
    }),
    apiKeys: z
      .array(z.string().regex(digestPattern, 'must be the SHA-256 hex digest of a key (64 hex digits), never the key itself'))
      .default([]),
    roles: z.array(z.enum(roleNames, { error: `must be one of ${roleNames.join(', ')}` })).default([]),
    credentials: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must name an accounting key set').default('default'),
    limits: z
      .object({
        requestsPerMinute: z.number().int().min(0).max(1_000_000).optional(),
        upstreamCallsPerMinute: z.number().int().min(0).max(10_000_000).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

const fileModel = z.object({ tenants: z.array(tenantModel) }).strict();

export class TenantsFileError extends Error {
  constructor(
    readonly path: string,
    readonly issues: string[],
  ) {
    super(`Invalid tenants file ${path}:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'TenantsFileError';
  }
}

/** The tenants of a file's text; every problem at once. `keySets`: the names the gateway can draw on. */
export function parseTenants(path: string, text: string, keySets: ReadonlySet<string>): Tenant[] {
  let raw: unknown;
  try {
    // YAML is a superset of JSON: one parser reads both.
    raw = parseYaml(text);
  } catch (error) {
    throw new TenantsFileError(path, [`does not parse: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`]);
  }
  const parsed = fileModel.safeParse(raw);
  if (!parsed.success) {
    throw new TenantsFileError(
      path,
      parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(file)'}: ${issue.message}`),
    );
  }
  const issues: string[] = [];
  const ids = new Set<string>();
  const digests = new Map<string, string>();
  parsed.data.tenants.forEach((tenant, index) => {
    const where = `tenants.${index}`;
    if (ids.has(tenant.id)) issues.push(`${where}.id: "${tenant.id}" is used twice`);
    ids.add(tenant.id);
    for (const digest of tenant.apiKeys) {
      const owner = digests.get(digest.toLowerCase());
      // One key naming two tenants could not say which of them is calling.
      if (owner !== undefined) issues.push(`${where}.apiKeys: a key of "${tenant.id}" is also a key of "${owner}"`);
      digests.set(digest.toLowerCase(), tenant.id);
    }
    if (!keySets.has(tenant.credentials)) {
      issues.push(`${where}.credentials: no accounting key set "${tenant.credentials}" (known: ${[...keySets].join(', ')})`);
    }
  });
  if (issues.length > 0) throw new TenantsFileError(path, issues);
  return parsed.data.tenants.map((tenant) => ({
    id: tenant.id,
    ledgers: tenant.ledgers === '*' ? '*' : new Set(tenant.ledgers),
    apiKeyDigests: tenant.apiKeys.map((digest) => Buffer.from(digest, 'hex')),
    roles: new Set(tenant.roles),
    keySet: tenant.credentials,
    rates: Object.fromEntries(Object.entries(tenant.limits).filter(([, value]) => value !== undefined)),
  }));
}

export async function readTenantsFile(path: string, keySets: ReadonlySet<string>): Promise<Tenant[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TenantsFileError(path, [`cannot be read: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return parseTenants(path, text, keySets);
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../logger.ts';
import { readTenantsFile, type Tenant } from './tenants.ts';

/**
 * The tenants the gateway knows now. Read at start (a bad file stops the start) and again on
 * SIGHUP: a reload that fails is logged and the tenants before it stay, so a typo never locks
 * every caller out. Requests in flight keep the caller they were given.
 */
export class TenantDirectory {
  #tenants: readonly Tenant[];
  #byId: ReadonlyMap<string, Tenant>;

  private constructor(
    private readonly path: string,
    private readonly keySets: ReadonlySet<string>,
    tenants: readonly Tenant[],
  ) {
    this.#tenants = tenants;
    this.#byId = new Map(tenants.map((tenant) => [tenant.id, tenant]));
  }

  static async load(path: string, keySets: ReadonlySet<string>): Promise<TenantDirectory> {
    return new TenantDirectory(path, keySets, await readTenantsFile(path, keySets));
  }

  get size(): number {
    return this.#tenants.length;
  }

  byId(id: string): Tenant | null {
    return this.#byId.get(id) ?? null;
  }

  /**
   * The tenant an API key belongs to. The key's digest is compared with every stored digest in
   * constant time, and all of them are compared whatever matches, so timing tells nothing.
   */
  byApiKey(key: string): Tenant | null {
    const digest = createHash('sha256').update(key, 'utf8').digest();
    let found: Tenant | null = null;
    for (const tenant of this.#tenants) {
      for (const stored of tenant.apiKeyDigests) {
        if (timingSafeEqual(stored, digest) && found === null) found = tenant;
      }
    }
    return found;
  }

  /** Reads the file again; true when the new tenants are in force. */
  async reload(logger: Logger): Promise<boolean> {
    try {
      const tenants = await readTenantsFile(this.path, this.keySets);
      this.#tenants = tenants;
      this.#byId = new Map(tenants.map((tenant) => [tenant.id, tenant]));
      logger.info('tenants reloaded', { tenants: tenants.length });
      return true;
    } catch (error) {
      logger.error('tenants file did not reload; the tenants before it stay in force', { error });
      return false;
    }
  }
}

/** The digest to put in a tenants file for a key: `sha256(key)` as hex. */
export function apiKeyDigest(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

import type { TenantRates } from './rate-limits.ts';
import { roleNames, type Role } from './roles.ts';
import type { Tenant } from './tenants.ts';

/**
 * Who is asking, decided once per request before anything is read: the tenant, the subject
 * (the end user of a JWT), what it may see and with which accounting keys.
 */
export interface Caller {
  /** Null in open mode. */
  tenantId: string | null;
  /** The JWT's `sub`; null for API keys and open mode. */
  subject: string | null;
  via: 'open' | 'api-key' | 'jwt';
  roles: ReadonlySet<Role>;
  /** The ledger ids it may see, or every ledger its key set is granted. */
  ledgers: '*' | ReadonlySet<string>;
  keySet: string;
  /** The tenant's own budgets, where they differ from the defaults. */
  rates: Partial<TenantRates>;
}

/** No caller identity: every ledger of the default key set, every role but the restrictive ones. */
export const openCaller: Caller = {
  tenantId: null,
  subject: null,
  via: 'open',
  roles: new Set(roleNames.filter((role) => role !== 'trusted-documents-only')),
  ledgers: '*',
  keySet: 'default',
  rates: {},
};

/** A tenant's caller; a JWT's `ledgers` claim can only narrow what the tenant sees. */
export function callerOf(tenant: Tenant, via: 'api-key' | 'jwt', subject: string | null, narrowedTo?: readonly string[]): Caller {
  let ledgers = tenant.ledgers;
  if (narrowedTo !== undefined) {
    const wanted = new Set(narrowedTo);
    ledgers = ledgers === '*' ? wanted : new Set([...ledgers].filter((ledgerId) => wanted.has(ledgerId)));
  }
  return { tenantId: tenant.id, subject, via, roles: tenant.roles, ledgers, keySet: tenant.keySet, rates: tenant.rates };
}

/** Whether the caller's grant covers a ledger; the key set's own grant is checked upstream. */
export function mayRead(caller: Caller, ledgerId: string): boolean {
  return caller.ledgers === '*' || caller.ledgers.has(ledgerId);
}

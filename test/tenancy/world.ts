import { writeFile } from 'node:fs/promises';
import type { DemoPartner } from '../../src/emulator/index.ts';
import { apiKeyDigest } from '../../src/tenancy/directory.ts';
import type { LedgerTraits } from '../support/emulator.ts';

/**
 * The tenants of the cross-tenant suites, drawn from the emulator's world so they hold whatever
 * ledgers the seed makes: two merchants splitting the demo partner's ledgers between them (the
 * one ledger granted to two partners goes to the first), one accounting firm seeing every ledger
 * of a second partner's keys (`"*"` on the key set `nordisk`), and tenants for the budgets and
 * the key rotation. The busiest ledger is granted to the keys but to no tenant.
 */

export interface SuiteTenant {
  id: string;
  /** Its API key; the file holds only the digest. */
  key: string;
  ledgers: '*' | string[];
  credentials?: 'nordisk';
  roles?: string[];
  limits?: { requestsPerMinute?: number; upstreamCallsPerMinute?: number };
}

/** No budget: the fuzz sends thousands of attempts in a minute. */
const unlimited = { requestsPerMinute: 0, upstreamCallsPerMinute: 0 };

/** A tenant with a list of ledgers, not `"*"`. */
export type ListedTenant = SuiteTenant & { ledgers: string[] };

export interface World {
  /** The demo partner: the default key set. */
  partner: DemoPartner;
  /** The second partner: the key set `nordisk`. */
  nordiskPartner: DemoPartner;
  kafe: ListedTenant;
  butikk: ListedTenant;
  nordisk: SuiteTenant;
  /** On the configured budgets (`RATE_LIMIT_*`): requests. */
  burst: ListedTenant;
  /** On the configured upstream-call budget, requests unlimited. */
  budget: ListedTenant;
  /** Its key is rotated and the old one revoked. */
  portal: ListedTenant;
  /** Every ledger of the emulator, granted or not. */
  ledgers: LedgerTraits[];
}

export function worldOf(ledgers: LedgerTraits[], partners: DemoPartner[]): World {
  const [partner, nordiskPartner] = partners;
  if (partner === undefined || nordiskPartner === undefined) throw new Error('the emulator needs two partners');
  const granted = ledgers.filter((ledger) => ledger.grantedTo.includes(partner.clientId) && !ledger.busiest);
  const shared = granted.filter((ledger) => ledger.grantedTo.includes(nordiskPartner.clientId));
  const rest = granted.filter((ledger) => !shared.includes(ledger));
  const ids = (list: LedgerTraits[]) => list.map((ledger) => ledger.ledgerId);
  const kafe = [...ids(shared), ...ids(rest.filter((_, index) => index % 2 === 0))];
  const butikk = ids(rest.filter((_, index) => index % 2 === 1));
  const [first = '', second = ''] = kafe;
  return {
    partner,
    nordiskPartner,
    kafe: { id: 'kafe', key: 'rgw_test_kafe_Vb7Qk2Lx9Tz4', ledgers: kafe, roles: ['ledger-details'], limits: unlimited },
    butikk: { id: 'butikk', key: 'rgw_test_butikk_Jm3Wq8Hd1Rc6', ledgers: butikk, limits: unlimited },
    nordisk: { id: 'nordisk', key: 'rgw_test_nordisk_Pf5Ys0Ng7Ua2', ledgers: '*', credentials: 'nordisk', limits: unlimited },
    burst: { id: 'burst', key: 'rgw_test_burst_Ke4Xo9Bi2Zl8', ledgers: [first] },
    budget: { id: 'budget', key: 'rgw_test_budget_Dt6Gv1Mw5Hs3', ledgers: [second], limits: { requestsPerMinute: 0 } },
    portal: { id: 'portal', key: 'rgw_test_portal_old_Qa8Ce3Fn0Jp7', ledgers: [second], limits: unlimited },
    ledgers,
  };
}

export function tenantsOf(world: World): SuiteTenant[] {
  return [world.kafe, world.butikk, world.nordisk, world.burst, world.budget, world.portal];
}

/** The tenants file as an operator writes it: JSON (YAML reads it too), digests only. */
export async function writeTenantsFile(path: string, tenants: readonly SuiteTenant[]): Promise<void> {
  const file = {
    tenants: tenants.map(({ key, ...tenant }) => ({ ...tenant, apiKeys: [apiKeyDigest(key)] })),
  };
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

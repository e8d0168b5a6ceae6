import { describe, expect } from 'vitest';
import { z } from 'zod';
import { it } from '../support/harness.ts';
import { PartnerClient, withQuery, type LedgerTraits } from './support.ts';

/**
 * Grants: each partner sees exactly its ledgers, and a ledger it was not granted answers like one
 * that does not exist, byte for byte, on every route.
 */

const ledgerPageModel = z.object({
  items: z.array(z.object({ ledgerId: z.string(), currency: z.string(), settlesForRecipientHandles: z.array(z.string()) }).loose()),
  cursor: z.string(),
});

const routes = (ledgerId: string) => [
  `/report/v2/ledgers/${ledgerId}/funds/dates/2026-05-19`,
  `/report/v2/ledgers/${ledgerId}/fees/feed`,
  `/sales/report/v1/ledgers/${ledgerId}`,
  `/sales/report/v1/ledgers/${ledgerId}/dates/2026-05-19`,
  `/sales/report/v1/ledgers/${ledgerId}/references/12345678901`,
  `/sales/report/v1/ledgers/${ledgerId}/psp-references/32345678901`,
];

describe('ledger access', () => {
  let traits: LedgerTraits[];
  let clients: PartnerClient[];

  it.beforeAll(async ({ emulator }) => {
    traits = await emulator.ledgers();
    clients = emulator.partners.map((partner) => new PartnerClient(emulator.url, partner));
  });

  async function listLedgers(client: PartnerClient, filter?: string): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.json(withQuery('/settlement/v1/ledgers', { cursor, settlesForRecipientHandles: cursor ? undefined : filter }), ledgerPageModel);
      pages += 1;
      expect(page.items.length).toBeLessThanOrEqual(5);
      ids.push(...page.items.map((item) => item.ledgerId));
      cursor = page.cursor || undefined;
    } while (cursor);
    return { ids, pages };
  }

  it('grants partners different sets, one ledger to two partners and one to nobody', ({ emulator }) => {
    const grants = traits.map((ledger) => ledger.grantedTo.length);
    expect(grants).toContain(0);
    expect(grants.some((count) => count >= 2)).toBe(true);
    const [demo, ...others] = emulator.partners;
    expect(demo?.ledgerIds.length).toBeGreaterThan(Math.max(...others.map((partner) => partner.ledgerIds.length)));
  });

  it('lists exactly the granted ledgers, in pages of five ending with an empty cursor', async ({ emulator }) => {
    for (const [index, partner] of emulator.partners.entries()) {
      const client = clients[index];
      if (!client) throw new Error('no client');
      const listed = await listLedgers(client);
      expect(listed.ids).toEqual([...partner.ledgerIds].sort());
      expect(listed.pages).toBe(Math.max(1, Math.ceil(partner.ledgerIds.length / 5)));
    }
  });

  it('filters the list by recipient handle, and an unknown or foreign handle gives an empty list', async () => {
    const [client] = clients;
    const twoUnits = traits.find((ledger) => ledger.recipientHandles.length === 2);
    const foreign = traits.find((ledger) => ledger.grantedTo.length === 0);
    if (!client || !twoUnits || !foreign) throw new Error('missing fixtures');
    for (const handle of twoUnits.recipientHandles) expect((await listLedgers(client, handle)).ids).toEqual([twoUnits.ledgerId]);
    expect((await listLedgers(client, foreign.recipientHandles[0])).ids).toEqual([]);
    expect((await listLedgers(client, 'NO:0')).ids).toEqual([]);
  });

  it('answers a ledger that is not granted exactly like one that does not exist', async ({ emulator }) => {
    for (const [index, partner] of emulator.partners.entries()) {
      const client = clients[index];
      if (!client) throw new Error('no client');
      const notGranted = traits.filter((ledger) => !ledger.grantedTo.includes(partner.clientId));
      expect(notGranted.length).toBeGreaterThan(0);
      for (const ledger of notGranted) {
        for (const path of routes(ledger.ledgerId)) {
          const hidden = await client.get(path);
          const unknown = await client.get(path.replace(ledger.ledgerId, '999999'));
          expect(hidden.status, path).toBe(404);
          expect(hidden.text).toBe(unknown.text);
          expect(hidden.headers.get('content-type')).toBe(unknown.headers.get('content-type'));
          expect(JSON.parse(hidden.text)).toMatchObject({ status: 404, detail: 'No such ledgerId' });
        }
      }
    }
  });

  it('serves every granted ledger on every route', async ({ emulator }) => {
    for (const [index, partner] of emulator.partners.entries()) {
      for (const ledgerId of partner.ledgerIds) {
        for (const path of routes(ledgerId)) expect((await clients[index]?.get(path))?.status, path).toBe(200);
      }
    }
  });
});

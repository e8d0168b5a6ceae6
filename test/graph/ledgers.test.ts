import { describe, expect } from 'vitest';
import { graphql } from '../gql/index.ts';
import { it } from '../support/harness.ts';

const Ledgers = graphql(`
  query Ledgers($first: Int, $after: String, $recipientHandle: String) {
    ledgers(first: $first, after: $after, recipientHandle: $recipientHandle) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          ledgerId
          currency
          owner {
            scheme
            identifier
            country
          }
          payoutBankAccount {
            scheme
            accountNumber
          }
          settlesForRecipientHandles
          salesUnits {
            name
            recipientHandle
            businessIdentifier {
              scheme
              identifier
            }
          }
        }
      }
    }
  }
`);

describe('Query.ledgers and Query.ledger', () => {
  it('lists exactly the granted ledgers with their owners, accounts and sales units', async ({ gateway, direct, emulator }) => {
    const answer = await gateway.execute(Ledgers, { first: 100 });
    const upstream = await direct.report.ledgers();
    expect(answer.ledgers?.totalCount).toBe(emulator.partner.ledgerIds.length);
    expect(answer.ledgers?.edges.map((edge) => edge.node.ledgerId).sort()).toEqual([...emulator.partner.ledgerIds].sort());
    answer.ledgers?.edges.forEach(({ node }, index) => {
      const ledger = upstream[index];
      expect(node).toMatchObject({
        ledgerId: ledger?.ledgerId,
        currency: ledger?.currency,
        owner: { scheme: ledger?.owner?.scheme, identifier: ledger?.owner?.id, country: ledger?.owner?.scheme.split(':')[1] },
        payoutBankAccount: { scheme: ledger?.payoutBankAccount?.scheme, accountNumber: ledger?.payoutBankAccount?.id },
        settlesForRecipientHandles: ledger?.settlesForRecipientHandles,
      });
      expect(node.salesUnits.map((unit) => unit.recipientHandle)).toEqual(ledger?.salesUnits.map((unit) => unit.recipientHandle));
    });
    const twoUnits = answer.ledgers?.edges.find((edge) => edge.node.salesUnits.length > 1);
    expect(twoUnits?.node.settlesForRecipientHandles).toHaveLength(2);
  });

  it('pages with cursors and filters by sales unit', async ({ gateway, emulator }) => {
    const first = await gateway.execute(Ledgers, { first: 4 });
    expect(first.ledgers?.edges).toHaveLength(4);
    expect(first.ledgers?.pageInfo.hasNextPage).toBe(true);
    const rest = await gateway.execute(Ledgers, { first: 100, after: first.ledgers?.pageInfo.endCursor ?? null });
    const all = [...(first.ledgers?.edges ?? []), ...(rest.ledgers?.edges ?? [])].map((edge) => edge.node.ledgerId);
    expect(all).toHaveLength(emulator.partner.ledgerIds.length);
    expect(new Set(all).size).toBe(all.length);

    const traits = await emulator.ledgers();
    const target = traits.find((ledger) => ledger.ledgerId === emulator.partner.ledgerIds[2]);
    const handle = target?.recipientHandles[0] ?? '';
    const filtered = await gateway.execute(Ledgers, { recipientHandle: handle });
    expect(filtered.ledgers?.edges.map((edge) => edge.node.ledgerId)).toEqual([target?.ledgerId]);
  });

  it('lets another partner see only its own ledgers', async ({ emulator, openGateway }) => {
    const other = emulator.partners.find((partner) => partner.clientId !== emulator.partner.clientId);
    if (other === undefined) throw new Error('the emulator should have several partners');
    const answer = await (await openGateway({ partner: other })).execute(Ledgers, { first: 100 });
    expect(answer.ledgers?.edges.map((edge) => edge.node.ledgerId).sort()).toEqual([...other.ledgerIds].sort());
  });
});

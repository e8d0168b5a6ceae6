import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import { createClient } from 'redis';
import { describe, expect } from 'vitest';
import { addDays } from '../../src/kernel/calendar.ts';
import { reportDateKey, reportPayersDateKey } from '../../src/sources/cache/keys.ts';
import { recordingLogger } from '../cache/recording-logger.ts';
import { walkReportDate, type ReportEntry } from '../emulator/support.ts';
import { graphql } from '../gql/index.ts';
import { narrow, present } from '../support/answers.ts';
import { today } from '../support/clock.ts';
import { it } from '../support/harness.ts';
import { PartnerClient } from '../support/partner-client.ts';
import { bearer, writeTenantsFile, type SuiteTenant } from './world.ts';

/**
 * Who paid a Vippsnummer payment: shown to a tenant with the role `personal-data`, refused to one
 * without it, whatever way it asks; read under cache keys of its own (memory and real Redis
 * inspected), and never written to a log, not even when upstream's answer is broken.
 */

const SalePayers = graphql(`
  query SalePayers($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger { sales(date: $date, first: 1000) { edges { node { pspReference entryType payer { name maskedPhoneNumber message } } } } }
    }
  }
`);

const MovementPayers = graphql(`
  query MovementPayers($ledgerId: String!, $date: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger { moneyMovements(date: $date, topic: FUNDS, first: 1000) { edges { node { pspReference entryType payer { name maskedPhoneNumber message } } } } }
    }
  }
`);

/** What a tenant without the role tries: aliases, fragments, and the payer behind other objects. */
const attempts = [
  'query { ledger(id: "$L") { ... on Ledger { sales(date: "$D", first: 50) { edges { node { who: payer { name } } } } } } }',
  'query { ledger(id: "$L") { ... on Ledger { sales(date: "$D", first: 50) { edges { node { ...P } } } } } } fragment P on Sale { payer { maskedPhoneNumber } }',
  'query { ledger(id: "$L") { ... on Ledger { moneyMovements(date: "$D", topic: FUNDS, first: 50) { edges { node { payer { message } } } } } } }',
  'query { ledger(id: "$L") { ... on Ledger { sales(date: "$D", first: 50) { edges { node { captures { payer { name } } } } } } } }',
  'query { ledger(id: "$L") { ... on Ledger { sales(date: "$D", first: 50) { edges { node { order { sales { payer { name } } } } } } } } }',
  'query { ledger(id: "$L") { ... on Ledger { payouts(from: "$D", to: "$D") { moneyMovements { payer { name } } } } } }',
  'query { ledger(id: "$L") { ... on Ledger { disputes(from: "$D", to: "$D") { movements { payer { name } } sale { payer { name } } } } } }',
  'query { ledger(id: "$L") { ... on Ledger { sales(date: "$D", first: 50) { edges { node { payer { __typename } } } } } } }',
];

const club: SuiteTenant = { id: 'club', key: 'rgw_test_club_Qw3Er5Ty7Ui9', ledgers: [], roles: ['personal-data'] };
const shop: SuiteTenant = { id: 'shop', key: 'rgw_test_shop_As2Df4Gh6Jk8', ledgers: [] };

/** The payers upstream gives for the date and the next, by pspReference and entry type. */
async function rawPayers(client: PartnerClient, ledgerId: string, date: string): Promise<Map<string, ReportEntry>> {
  const days = await Promise.all([date, addDays(date, 1)].map((day) => walkReportDate(client, ledgerId, 'funds', day, true)));
  const payers = new Map<string, ReportEntry>();
  for (const entry of days.flatMap((day) => day.entries)) if (entry.name !== undefined) payers.set(`${entry.pspReference}/${entry.entryType}`, entry);
  return payers;
}

const personalValues = (payers: Map<string, ReportEntry>) =>
  [...payers.values()].flatMap((entry) => [entry.name, entry.maskedPhoneNo, entry.message].filter((value): value is string => value !== undefined && value.length > 5));

describe('who paid', () => {
  it('shows payers to a tenant with personal-data, refuses every attempt of one without, and keeps them out of other cache entries and logs', { timeout: 180_000 }, async ({ emulator, admin, openGateway, redis }) => {
    const ledger = await emulator.ledger((candidate) => candidate.kind === 'vm' && !candidate.busiest);
    const date = addDays(today, -4);
    const payers = await rawPayers(new PartnerClient(emulator.url, emulator.partner), ledger.ledgerId, date);
    expect(payers.size).toBeGreaterThan(5);
    const secrets = personalValues(payers);
    const folder = await mkdtemp(join(tmpdir(), 'rgw-payers-'));
    const tenantsFile = join(folder, 'tenants.json');
    await writeTenantsFile(tenantsFile, [
      { ...club, ledgers: [ledger.ledgerId] },
      { ...shop, ledgers: [ledger.ledgerId] },
    ]);

    for (const backend of ['memory', 'redis'] as const) {
      const logger = recordingLogger();
      const gateway = await openGateway({ env: { TENANTS_FILE: tenantsFile, LOG_LEVEL: 'debug' }, logger, ...(backend === 'redis' ? { redis } : {}) });
      const variables = { ledgerId: ledger.ledgerId, date };
      const personalKeys = [date, addDays(date, 1)].map((day) => reportPayersDateKey(gateway.upstream.fingerprint, ledger.ledgerId, day));

      // The tenant without the role: every attempt refused as FORBIDDEN, no payer in any answer, nothing personal read.
      let refused = 0;
      for (const attempt of attempts) {
        const query = attempt.replaceAll('$L', ledger.ledgerId).replaceAll('$D', date);
        const answer = await gateway.request(parse(query), {}, bearer(shop.key));
        const text = JSON.stringify(answer);
        expect(answer.errors?.some((error) => error.extensions?.code === 'FORBIDDEN'), query).toBe(true);
        for (const secret of secrets) expect(text).not.toContain(secret);
        refused += 1;
      }
      expect(refused).toBe(attempts.length);
      for (const key of personalKeys) expect(await gateway.runtime.cache.get(key), `${backend} ${key}`).toBeNull();

      // The tenant with the role: each sale's and each capture's payer, as upstream tells it.
      const sales = present(narrow((await gateway.execute(SalePayers, variables, bearer(club.key))).ledger, 'Ledger').sales, 'sales').edges;
      let shown = 0;
      for (const { node } of sales.filter(({ node }) => node.pspReference !== null)) {
        const raw = payers.get(`${node.pspReference}/${node.entryType.toLowerCase()}`);
        expect(node.payer, String(node.pspReference)).toEqual(raw === undefined ? null : { name: raw.name, maskedPhoneNumber: raw.maskedPhoneNo, message: raw.message ?? null });
        if (node.payer !== null) shown += 1;
      }
      expect(shown).toBeGreaterThan(5);
      const movements = present(narrow((await gateway.execute(MovementPayers, variables, bearer(club.key))).ledger, 'Ledger').moneyMovements, 'moneyMovements').edges;
      for (const { node } of movements) {
        const raw = payers.get(`${node.pspReference}/${node.entryType}`);
        expect(node.payer).toEqual(raw === undefined ? null : { name: raw.name, maskedPhoneNumber: raw.maskedPhoneNo, message: raw.message ?? null });
      }

      // Personal data only under its own keys; the ordinary entries of the same dates hold none.
      expect(await gateway.runtime.cache.get(present(personalKeys[0], 'key'))).toContain(present(secrets[0], 'a payer'));
      const ordinary = [date, addDays(date, 1)].map((day) => reportDateKey(gateway.upstream.fingerprint, ledger.ledgerId, 'funds', day));
      for (const key of ordinary) {
        const value = present(await gateway.runtime.cache.get(key), `${backend} ${key}`);
        for (const secret of secrets) expect(value).not.toContain(secret);
      }
      if (backend === 'redis') {
        const client = createClient({ url: redis.url });
        await client.connect();
        let withPersonalData = 0;
        for await (const keys of client.scanIterator({ COUNT: 500 })) {
          for (const key of keys) {
            const value = (await client.type(key)) === 'string' ? ((await client.get(key)) ?? '') : JSON.stringify(await client.dump(key));
            if (secrets.some((secret) => value.includes(secret))) {
              withPersonalData += 1;
              expect(key).toContain(':report-personal:');
            }
          }
        }
        expect(withPersonalData).toBeGreaterThan(0);
        await client.quit();
      }

      // A broken answer to the personal read: the failure is logged without its body.
      // The ordinary read of another date is cached first, so that only the personal read meets the fault.
      const other = addDays(date, -2);
      const ordinaryQuery = parse(`query { ledger(id: "${ledger.ledgerId}") { ... on Ledger { moneyMovements(date: "${other}", topic: FUNDS, first: 1) { isClosed } } } }`);
      expect((await gateway.request(ordinaryQuery, {}, bearer(shop.key))).errors ?? []).toEqual([]);
      await admin.setFaults({ routes: { 'GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}': { schemaBreakRate: 1 } } });
      try {
        const broken = await gateway.request(MovementPayers, { ledgerId: ledger.ledgerId, date: other }, bearer(club.key));
        expect(broken.errors?.[0]?.extensions?.code).toBe('UPSTREAM_BAD_RESPONSE');
      } finally {
        await admin.setFaults({});
      }
      const failures = logger.lines.filter((line) => line.msg === 'upstream request failed' && String(line.fields.path).includes('includeGDPRSensitiveData=true'));
      expect(failures.length).toBeGreaterThan(0);
      for (const failure of failures) expect(failure.fields.body).toBeUndefined();
      const otherSecrets = personalValues(await rawPayers(new PartnerClient(emulator.url, emulator.partner), ledger.ledgerId, other));
      const logged = JSON.stringify(logger.lines);
      for (const secret of [...secrets, ...otherSecrets]) expect(logged).not.toContain(secret);
    }
  });
});

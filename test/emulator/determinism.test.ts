import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.ts';
import { adminRequest, PartnerClient } from './support.ts';

/** Everything is a function of the seed: the same seed answers byte for byte alike, another differs. */

async function sample(emulator: TestEmulator): Promise<string[]> {
  const demo = emulator.partner;
  const client = new PartnerClient(emulator.url, demo);
  const texts = [(await adminRequest(emulator.url, 'GET', 'credentials')).text, (await adminRequest(emulator.url, 'GET', 'ledgers')).text];
  texts.push((await client.get('/settlement/v1/ledgers')).text);
  for (const ledger of (await emulator.ledgers()).filter((candidate) => candidate.grantedTo.includes(demo.clientId))) {
    for (const path of [
      `/report/v2/ledgers/${ledger.ledgerId}/funds/dates/2026-05-19?includeGDPRSensitiveData=true`,
      `/report/v2/ledgers/${ledger.ledgerId}/fees/dates/2026-05-20`,
      `/report/v2/ledgers/${ledger.ledgerId}/funds/feed`,
      `/sales/report/v1/ledgers/${ledger.ledgerId}/dates/2026-05-18?pageSize=1000`,
      `/sales/report/v1/ledgers/${ledger.ledgerId}?pageSize=200`,
    ]) {
      const answer = await client.get(path);
      expect(answer.status, path).toBe(200);
      texts.push(answer.text);
    }
  }
  return texts;
}

describe('determinism', () => {
  const emulators: TestEmulator[] = [];

  beforeAll(async () => {
    emulators.push(await startTestEmulator(), await startTestEmulator(), await startTestEmulator({ seed: 'another seed' }));
  });
  afterAll(() => Promise.all(emulators.map((emulator) => emulator.close())));

  it('gives byte-identical answers for the same seed', async () => {
    const [first, second] = emulators;
    if (!first || !second) throw new Error('emulators missing');
    const one = await sample(first);
    const two = await sample(second);
    expect(one.length).toBeGreaterThan(40);
    expect(two).toEqual(one);
  });

  it('gives other partners, ledgers and data for another seed', async () => {
    const [first, , other] = emulators;
    if (!first || !other) throw new Error('emulators missing');
    expect(other.partners.map((partner) => partner.clientId)).not.toEqual(first.partners.map((partner) => partner.clientId));
    const ours = await first.ledgers();
    const theirs = await other.ledgers();
    expect(theirs.map((ledger) => ledger.ledgerId)).not.toEqual(ours.map((ledger) => ledger.ledgerId));
    // The same kinds of ledger exist under every seed; only the data differs.
    const traitsOf = (ledgers: typeof ours) => ledgers.map((ledger) => `${ledger.kind}/${ledger.settlement}/${ledger.feeSettlement}/${ledger.cutoffHour}/${ledger.busiest}`).sort();
    expect(traitsOf(theirs)).toEqual(traitsOf(ours));
    const otherTexts = new Set(await sample(other));
    const overlap = (await sample(first)).filter((text) => otherTexts.has(text));
    // Only empty answers may coincide (e.g. a ledger with no sales on a date).
    for (const text of overlap) expect(text.length).toBeLessThan(120);
  });
});

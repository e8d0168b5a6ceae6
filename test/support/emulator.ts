import { EmulatorAdmin, type LedgerTraits } from '../../src/emulator/admin-client.ts';
import { startEmulator, type DemoPartner, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.ts';
import { testNow } from './clock.ts';

/** The emulator over real HTTP on a loopback port, at the test clock unless told otherwise. */

export type { LedgerTraits } from '../../src/emulator/admin-client.ts';

export interface TestEmulator extends RunningEmulator {
  admin: EmulatorAdmin;
  /** The demo partner (`partners[0]`), granted most ledgers. */
  partner: DemoPartner;
  /** Every ledger with its traits, granted or not. */
  ledgers(): Promise<LedgerTraits[]>;
  /** The ledgers granted to `partner` (the demo partner unless named). */
  grantedLedgers(partner?: DemoPartner): Promise<LedgerTraits[]>;
  /** The first granted ledger `pick` accepts; an error when there is none. */
  ledger(pick: (ledger: LedgerTraits) => boolean, partner?: DemoPartner): Promise<LedgerTraits>;
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ port: 0, now: testNow, ...options });
  const partner = emulator.partners[0];
  if (partner === undefined) throw new Error('the emulator has no demo partner');
  const admin = new EmulatorAdmin(emulator.url);
  // Traits do not change while the emulator runs: read once.
  let traits: Promise<LedgerTraits[]> | undefined;
  const ledgers = () => (traits ??= admin.ledgers());
  const grantedLedgers = async (to: DemoPartner = partner) => (await ledgers()).filter((ledger) => ledger.grantedTo.includes(to.clientId));
  return {
    ...emulator,
    admin,
    partner,
    ledgers,
    grantedLedgers,
    async ledger(pick, to) {
      const found = (await grantedLedgers(to)).find(pick);
      if (found === undefined) throw new Error('the emulator should have such a ledger granted to the partner');
      return found;
    },
  };
}

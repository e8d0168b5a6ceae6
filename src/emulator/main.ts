import { randomAdminToken, startEmulator } from './index.ts';

/** `npm run emulator`: the emulator on its own, configured from the environment. */

const port = Number(process.env['EMULATOR_PORT'] ?? 4010);
const host = process.env['EMULATOR_HOST'] ?? '127.0.0.1';
const seed = process.env['EMULATOR_SEED'] || 'demo';
const now = process.env['EMULATOR_NOW'] || undefined;
const adminToken = process.env['EMULATOR_ADMIN_TOKEN'] || randomAdminToken();

if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`EMULATOR_PORT must be a port number, got ${process.env['EMULATOR_PORT']}`);
  process.exit(1);
}
if (adminToken.length < 16) {
  console.error('EMULATOR_ADMIN_TOKEN must be at least 16 characters');
  process.exit(1);
}
if (now !== undefined && !Number.isFinite(Date.parse(now))) {
  console.error(`EMULATOR_NOW must be an ISO time, got ${now}`);
  process.exit(1);
}

const emulator = await startEmulator({ port, host, seed, adminToken, ...(now ? { now } : {}) });
console.log(`Vipps MobilePay emulator on ${emulator.url} (seed "${seed}", clock ${now ?? 'real time'})`);
for (const partner of emulator.partners) {
  console.log(`  ${partner.name}: client_id=${partner.clientId} client_secret=${partner.clientSecret} ledgers=${partner.ledgerIds.join(',') || '(none)'}`);
}
console.log(`Admin: ${emulator.url}/__emulator/{stats,faults,credentials,ledgers,clock} with Authorization: Bearer ${adminToken}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}

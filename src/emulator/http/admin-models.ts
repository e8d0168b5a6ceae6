import { z } from 'zod';
import { faultConfigModel } from './faults.ts';
import { routeTemplates } from './routes.ts';

/**
 * What the `/__emulator/*` routes answer, as zod models. The admin routes build their answers
 * with these types and the admin client parses with these models, so the two cannot drift.
 */

/** `GET /__emulator/stats`: upstream calls per route template since the last reset. */
export const statsModel = z
  .object({
    total: z.number().int().min(0),
    routes: z.partialRecord(z.enum(routeTemplates), z.number().int().min(1)),
  })
  .strict();
export type EmulatorStats = z.infer<typeof statsModel>;

/** `GET` and `PUT /__emulator/faults`: the fault configuration in force. */
export { faultConfigModel };

/** `GET /__emulator/credentials`: every accounting partner, with its keys and grants. */
export const partnerModel = z
  .object({ name: z.string(), clientId: z.string(), clientSecret: z.string(), ledgerIds: z.array(z.string()) })
  .strict();
export const credentialsModel = z.object({ partners: z.array(partnerModel) }).strict();
export type CredentialsAnswer = z.infer<typeof credentialsModel>;

/** `GET` and `PUT /__emulator/clock`: the emulated now. */
export const clockModel = z.object({ now: z.iso.datetime({ offset: true }) }).strict();
export type ClockAnswer = z.infer<typeof clockModel>;

/** One ledger as `GET /__emulator/ledgers` describes it: what tests pick ledgers by. */
export const ledgerTraitsModel = z
  .object({
    ledgerId: z.string(),
    kind: z.enum(['vm', 'mpos', 'epayment']),
    currency: z.enum(['NOK', 'DKK', 'EUR']),
    recipientHandles: z.array(z.string()),
    timeZone: z.enum(['Europe/Oslo', 'Europe/Copenhagen', 'Europe/Helsinki']),
    cutoffHour: z.number().int(),
    settlement: z.enum(['daily', 'weekly', 'monthly']),
    feeSettlement: z.enum(['net', 'gross']),
    /** Rolling reserve in minor units. */
    reserve: z.number().int(),
    /** Client ids of the partners granted the ledger. */
    grantedTo: z.array(z.string()),
    busiest: z.boolean(),
    historyStart: z.iso.datetime(),
    firstLedgerDate: z.iso.date(),
    /** Monthly service fee on the fees account, minor units; 0 for none. */
    serviceFee: z.number().int(),
    events: z.object({ negativeBalance: z.boolean(), payoutAborts: z.boolean(), glitches: z.boolean() }).strict(),
  })
  .strict();
export type LedgerTraits = z.infer<typeof ledgerTraitsModel>;
export const ledgersModel = z.object({ ledgers: z.array(ledgerTraitsModel) }).strict();
export type LedgersAnswer = z.infer<typeof ledgersModel>;

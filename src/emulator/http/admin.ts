import { z } from 'zod';
import type { EmulatorContext } from '../api/context.ts';
import { dateString } from '../data/calendar.ts';
import { clockModel, faultConfigModel, type ClockAnswer, type CredentialsAnswer, type LedgersAnswer } from './admin-models.ts';
import { json, problem, type Reply } from './reply.ts';

/**
 * `/__emulator/*`: observation and control for tests and benchmarks. Never counted in the
 * statistics and never subject to faults.
 */

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return Symbol('invalid');
  }
}

function invalid(error: z.ZodError | string): Reply {
  return problem(400, typeof error === 'string' ? error : z.prettifyError(error));
}

export function adminRoute(context: EmulatorContext, method: string, path: string, body: string): Reply {
  const { world, stats, faults, clock } = context;
  const route = `${method} ${path.slice('/__emulator/'.length)}`;
  switch (route) {
    case 'GET stats':
      return json(200, stats.snapshot());
    case 'POST stats/reset':
      stats.reset();
      return { status: 204, body: '', contentType: 'text/plain' };
    case 'GET faults':
      return json(200, faults.current());
    case 'PUT faults': {
      const parsed = faultConfigModel.safeParse(parseJson(body));
      if (!parsed.success) return invalid(parsed.error);
      faults.configure(parsed.data);
      return json(200, faults.current());
    }
    case 'GET credentials':
      return json(200, { partners: world.catalog.partners } satisfies CredentialsAnswer);
    case 'GET clock':
      return json(200, { now: new Date(clock.now()).toISOString() } satisfies ClockAnswer);
    case 'PUT clock': {
      const parsed = clockModel.safeParse(parseJson(body));
      if (!parsed.success) return invalid(parsed.error);
      clock.set(parsed.data.now);
      return json(200, { now: new Date(clock.now()).toISOString() } satisfies ClockAnswer);
    }
    case 'GET ledgers':
      return json(200, {
        ledgers: world.catalog.ledgers.map((ledger) => ({
          ledgerId: ledger.ledgerId,
          kind: ledger.kind,
          currency: ledger.currency,
          recipientHandles: ledger.salesUnits.map((unit) => unit.recipientHandle),
          timeZone: ledger.timeZone,
          cutoffHour: ledger.cutoffHour,
          settlement: ledger.settlement,
          feeSettlement: ledger.feeSettlement,
          reserve: ledger.reserve,
          grantedTo: ledger.grantedTo,
          busiest: ledger.busiest,
          historyStart: new Date(ledger.historyStart).toISOString(),
          firstLedgerDate: dateString(world.firstDay(ledger)),
          serviceFee: ledger.serviceFee,
          events: ledger.events,
        })),
      } satisfies LedgersAnswer);
    default:
      return problem(404, `No admin route ${route}`);
  }
}

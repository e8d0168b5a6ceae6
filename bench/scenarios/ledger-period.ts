import { z } from 'zod';
import { describeCalls, startEmulatorProcess, type EmulatorProcess, type Partner } from '../lib/emulator-process.ts';
import { graphqlRequest, startGatewayProcess } from '../lib/gateway-process.ts';
import { compareUnderLoad, countedRequest, percent } from '../lib/measure.ts';
import type { ServerProcess } from '../lib/processes.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';
import { fetchToken } from '../lib/token.ts';

export const name = 'ledger-period';
export const description =
  'A 31-day bookkeeping summary of the busiest ledger (balances, movements by kind, sales by solution and VAT rate, payouts): upstream calls cold and warm, and its time';

const seed = 'demo';
const now = '2026-06-10T12:00:00Z';

const summaryQuery = /* GraphQL */ `
  query Summary($ledgerId: String!, $from: Date!, $to: Date!) {
    ledger(id: $ledgerId) {
      __typename
      ... on Ledger {
        period(from: $from, to: $to) {
          from to isClosed
          openingBalance { minorUnits } closingBalance { minorUnits }
          movements {
            captures { count amount { minorUnits } } refunds { count amount { minorUnits } }
            fees { captureFees { count amount { minorUnits } } retained { count amount { minorUnits } } }
            disputes { net { minorUnits } } payouts { count amount { minorUnits } }
            other { kind entryType count amount { minorUnits } }
          }
          sales {
            all { count gross { minorUnits } net { minorUnits } vat { minorUnits } grossLackingVat { minorUnits } }
            bySolution { solution totals { count gross { minorUnits } } }
            vat { byRate { ratePercent lineCount vat { minorUnits } } withoutRate { saleCount vat { minorUnits } } lacking { saleCount gross { minorUnits } } }
          }
          payouts { payoutNumber date amount { decimal } }
          days { date fundsAccount { entryCount } feesAccount { entryCount } sales { all { count } } }
        }
      }
    }
  }
`;

const answerModel = z.object({
  data: z.object({
    ledger: z.object({
      period: z.object({
        isClosed: z.boolean(),
        sales: z.object({ all: z.object({ count: z.number() }) }),
        payouts: z.array(z.unknown()),
        days: z.array(
          z.object({
            date: z.string(),
            fundsAccount: z.object({ entryCount: z.number() }),
            feesAccount: z.object({ entryCount: z.number() }),
            sales: z.object({ all: z.object({ count: z.number() }) }),
          }),
        ),
      }),
    }),
  }),
});

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Reads every date of the range once straight from the emulator, so that the gateway's cold
 * request is not also timing the emulator generating a month of its busiest ledger.
 */
async function prepareEmulator(emulator: EmulatorProcess, partner: Partner, ledgerId: string, dates: readonly string[]): Promise<void> {
  const token = await fetchToken(emulator.url, partner);
  const paths = dates.flatMap((date) => [
    `/report/v2/ledgers/${ledgerId}/funds/dates/${date}`,
    `/report/v2/ledgers/${ledgerId}/fees/dates/${date}`,
    `/sales/report/v1/ledgers/${ledgerId}/dates/${date}?pageSize=1000`,
  ]);
  await Promise.all(paths.map((path) => fetch(`${emulator.url}${path}`, { headers: { authorization: `Bearer ${token}` } }).then((response) => response.arrayBuffer())));
}

const pages = (count: number) => Math.max(1, Math.ceil(count / 1000));

export async function run(context: BenchContext): Promise<Row[]> {
  let gateway: ServerProcess | undefined;
  let emulator: EmulatorProcess | undefined;
  try {
    context.progress('starting the emulator');
    emulator = await startEmulatorProcess({ seed, now, cpu: context.cores.upstream });
    const [partner] = await emulator.admin.partners();
    const busiest = (await emulator.admin.ledgers()).find((ledger) => ledger.busiest && ledger.grantedTo.includes(partner?.clientId ?? ''));
    if (partner === undefined || busiest === undefined) throw new Error('the emulator has no busiest ledger granted to its demo partner');
    const to = shiftDate(now.slice(0, 10), -1);
    const from = shiftDate(to, -30);
    const dates = Array.from({ length: 31 }, (_, index) => shiftDate(from, index));
    context.progress(`ledger ${busiest.ledgerId}, ${from}..${to}: preparing the emulator's pages`);
    await prepareEmulator(emulator, partner, busiest.ledgerId, dates);

    gateway = await startGatewayProcess({ upstreamUrl: emulator.url, ...partner, cpu: context.cores.server });
    const request = graphqlRequest(gateway.url, summaryQuery, { ledgerId: busiest.ledgerId, from, to });

    const cold = await countedRequest(emulator, request);
    const warm = await countedRequest(emulator, request);
    if (warm.body !== cold.body) throw new Error('the warm answer differs from the cold one');
    const answer = answerModel.parse(JSON.parse(cold.body)).data.ledger.period;
    if (!answer.isClosed) throw new Error('every date of the summary should be closed');
    const budget = answer.days.reduce(
      (sum, day) => sum + pages(day.fundsAccount.entryCount) + pages(day.feesAccount.entryCount) + pages(day.sales.all.count),
      0,
    );
    const reportAndSales = (cold.calls.routes['GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}'] ?? 0) +
      (cold.calls.routes['GET /sales/report/v1/ledgers/{ledgerId}/dates/{ledgerDate}'] ?? 0);

    const [loaded] = await compareUnderLoad(context, emulator, [{ label: 'gateway', server: gateway, target: { ...request, expectBody: cold.body } }]);
    if (loaded === undefined) throw new Error('the gateway must be measured');

    context.note(
      `ledger ${busiest.ledgerId} (the busiest), ${from}..${to}: ${answer.sales.all.count} sales, ` +
        `${answer.days.reduce((sum, day) => sum + day.fundsAccount.entryCount + day.feesAccount.entryCount, 0)} funds and fees entries, ` +
        `${answer.payouts.length} payouts; emulator seed "${seed}", clock ${now}, its pages prepared before the cold request`,
    );
    context.note('gateway: src/main.ts with the in-memory cache (no REDIS_URL), a fresh process for the cold request');
    return [
      { measure: 'upstream calls, cold (first request, fresh process)', value: describeCalls(cold.calls) },
      { measure: 'report and sales date calls, cold', value: `${reportAndSales} (at most one per date, account and page: ${budget})` },
      { measure: 'upstream calls, warm (second request)', value: describeCalls(warm.calls) },
      { measure: 'time, cold (ms)', value: cold.ms.toFixed(0) },
      { measure: 'time, warm (ms)', value: warm.ms.toFixed(0) },
      { measure: 'answer size', value: `${(Buffer.byteLength(cold.body) / 1024).toFixed(0)} KiB` },
      { measure: 'requests/s under load, warm', value: loaded.requestsPerSecond.toFixed(1) },
      { measure: 'latency p50 / p99 under load (ms)', value: `${loaded.p50Ms.toFixed(0)} / ${loaded.p99Ms.toFixed(0)}` },
      { measure: 'upstream calls under load', value: describeCalls(loaded.upstreamCalls) },
      { measure: 'CPU busy under load: gateway', value: percent(loaded.serverBusy) },
    ];
  } finally {
    await gateway?.stop();
    await emulator?.stop();
  }
}

import type { Plugin } from 'graphql-yoga';
import { z } from 'zod';
import { rangeDates } from '../../bookkeeping/ranges.ts';
import { isIsoDate } from '../../kernel/calendar.ts';
import { csvRow } from './csv.ts';

/**
 * `GET /journal.csv?ledgerId=…&from=…&to=…`: a ledger's journal (`Ledger.journal`) as a CSV
 * download, for importing a month or a year into an accounting system.
 *
 * The route asks the graph itself, through `yoga.fetch`, one request per month of the range
 * (`chunkDates`), with the caller's own headers: each chunk passes the same host check,
 * authentication, tenant check, rate limits, cost estimate, read budget, deadline and access
 * line as any GraphQL request, and nothing here reads a ledger on its own. The rows of a chunk
 * are written as soon as it is answered, so a year is never held in memory whole. What the
 * first chunk refuses (no identity, a ledger not visible, bad dates, too costly, rate limited)
 * is answered with its status and errors before any CSV; a later chunk that fails ends the
 * download unfinished, so a partial file is never taken for a whole one.
 */

export const journalCsvPath = '/journal.csv';

/** Dates per chunk: one request of the graph each, within its cost limit even without the feed mirror. */
export const chunkDates = 31;

export const journalCsvColumns = [
  'date',
  'account',
  'accountName',
  'debitMinorUnits',
  'creditMinorUnits',
  'debit',
  'credit',
  'currency',
  'vatCode',
  'vatRate',
  'description',
  'entryCount',
  'reference',
  'trace',
] as const;

const chunkDocument = /* GraphQL */ `
  query JournalCsv($ledgerId: String!, $from: Date!, $to: Date!, $after: String) {
    ledger(id: $ledgerId) {
      __typename
      ... on Error { message }
      ... on Ledger {
        currency
        journal(from: $from, to: $to) {
          lines(first: 1000, after: $after) {
            pageInfo { hasNextPage endCursor }
            edges {
              node {
                trace date account { number name } debit { minorUnits decimal } credit { minorUnits decimal }
                vatCode vatRatePercent description entryCount reference
              }
            }
          }
        }
      }
    }
  }
`;

const amountModel = z.object({ minorUnits: z.number().int(), decimal: z.string() });
const lineModel = z.object({
  trace: z.string(),
  date: z.string(),
  account: z.object({ number: z.string(), name: z.string() }),
  debit: amountModel,
  credit: amountModel,
  vatCode: z.string().nullable(),
  vatRatePercent: z.string().nullable(),
  description: z.string(),
  entryCount: z.number().int(),
  reference: z.string().nullable(),
});
const answerModel = z.object({
  data: z
    .object({
      ledger: z.union([
        z.object({
          __typename: z.literal('Ledger'),
          currency: z.string(),
          journal: z.object({
            lines: z.object({
              pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
              edges: z.array(z.object({ node: lineModel })),
            }),
          }),
        }),
        z.object({ __typename: z.string(), message: z.string() }),
      ]),
    })
    .nullish(),
  errors: z.array(z.object({ message: z.string(), extensions: z.record(z.string(), z.unknown()).optional() })).optional(),
});
type Line = z.infer<typeof lineModel>;

/** What the caller sent that each chunk request carries on (identity, host, origin, ids, deadline). */
const forwardedHeaders = ['authorization', 'host', 'origin', 'x-request-id', 'x-request-timeout-ms'];

interface Refusal {
  status: number;
  body: unknown;
  headers: Headers;
}

class ChunkRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(`a chunk of the journal was refused with status ${refusal.status}`);
  }
}

function problem(status: number, parameter: string, message: string): Refusal {
  return { status, body: { errors: [{ message: `\`${parameter}\` ${message}`, extensions: { code: 'BAD_USER_INPUT', argument: parameter } }] }, headers: new Headers() };
}

/** The status a refused chunk is answered with: its own when not 200, else by the first error's code. */
function statusOf(status: number, errors: readonly { extensions?: Record<string, unknown> }[], notFound: boolean): number {
  if (status !== 200) return status;
  if (notFound) return 404;
  const code = errors[0]?.extensions?.code;
  return code === 'BAD_USER_INPUT' || code === 'QUERY_TOO_COSTLY' ? 400 : code === 'RATE_LIMITED' ? 429 : 502;
}

function rowOf(line: Line, currency: string): string {
  return csvRow([
    line.date,
    line.account.number,
    line.account.name,
    line.debit.minorUnits,
    line.credit.minorUnits,
    line.debit.decimal,
    line.credit.decimal,
    currency,
    line.vatCode,
    line.vatRatePercent,
    line.description,
    line.entryCount,
    line.reference,
    line.trace,
  ]);
}

/** A request to the gateway's own GraphQL endpoint (`yoga.fetch`). */
export type AskGraph = (url: URL, init: RequestInit) => Response | Promise<Response>;

export function useJournalCsv(graph: AskGraph): Plugin {
  /** One page of one chunk's lines, through the whole GraphQL pipeline; throws `ChunkRefused`. */
  const askGraph = async (request: Request, url: URL, variables: Record<string, string | null>) => {
    const headers = new Headers({ 'content-type': 'application/json', accept: 'application/json' });
    for (const name of forwardedHeaders) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    const response = await graph(new URL('/graphql', url), {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: chunkDocument, operationName: 'JournalCsv', variables }),
      signal: request.signal,
    });
    const body: unknown = await response.json();
    const answer = answerModel.safeParse(body);
    const ledger = answer.success ? answer.data.data?.ledger : undefined;
    const errors = answer.success ? (answer.data.errors ?? []) : [];
    if (response.status === 200 && errors.length === 0 && ledger !== undefined && 'journal' in ledger) return ledger;
    const refusedHeaders = new Headers();
    for (const name of ['www-authenticate', 'retry-after', 'x-request-id', 'x-gateway-request-id']) {
      const value = response.headers.get(name);
      if (value !== null) refusedHeaders.set(name, value);
    }
    throw new ChunkRefused({ status: statusOf(response.status, errors, ledger !== undefined && ledger !== null), body, headers: refusedHeaders });
  };

  /** The rows of the dates from `from` to `to`, page by page of lines. */
  async function* chunkRows(request: Request, url: URL, ledgerId: string, from: string, to: string): AsyncGenerator<string> {
    let after: string | null = null;
    do {
      const ledger = await askGraph(request, url, { ledgerId, from, to, after });
      for (const edge of ledger.journal.lines.edges) yield rowOf(edge.node, ledger.currency);
      const { pageInfo } = ledger.journal.lines;
      after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
    } while (after !== null);
  }

  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== journalCsvPath) return;
      const refuse = (refusal: Refusal) => {
        refusal.headers.set('content-type', 'application/json; charset=utf-8');
        endResponse(new fetchAPI.Response(JSON.stringify(refusal.body), { status: refusal.status, headers: refusal.headers }));
      };
      if (request.method !== 'GET') {
        refuse({ ...problem(405, 'method', 'must be GET'), headers: new Headers({ allow: 'GET' }) });
        return;
      }
      const ledgerId = url.searchParams.get('ledgerId');
      const from = url.searchParams.get('from');
      const to = url.searchParams.get('to');
      if (ledgerId === null || ledgerId === '') return refuse(problem(400, 'ledgerId', 'is required: the upstream ledger id'));
      for (const [name, value] of [['from', from], ['to', to]] as const) {
        if (value === null || !isIsoDate(value)) return refuse(problem(400, name, `must be a date (YYYY-MM-DD); got ${JSON.stringify(value)}`));
      }
      // Checked here for the whole range: each chunk alone would be within the limit.
      const range = rangeDates(from ?? '', to ?? '');
      if ('problem' in range) return refuse(problem(400, 'to', range.problem));
      const chunks: Array<[string, string]> = [];
      for (let start = 0; start < range.dates.length; start += chunkDates) {
        const dates = range.dates.slice(start, start + chunkDates);
        chunks.push([dates[0] ?? '', dates.at(-1) ?? '']);
      }

      const rows = (async function* () {
        for (const [chunkFrom, chunkTo] of chunks) yield* chunkRows(request, url, ledgerId, chunkFrom, chunkTo);
      })();
      // The first chunk decides the status: a refusal is answered whole, before any CSV.
      let first: IteratorResult<string>;
      try {
        first = await rows.next();
      } catch (error: unknown) {
        if (error instanceof ChunkRefused) return refuse(error.refusal);
        throw error;
      }
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(csvRow(journalCsvColumns)));
          if (first.done !== true) controller.enqueue(encoder.encode(first.value));
        },
        async pull(controller) {
          // A failure here errors the stream: the download ends unfinished, never as a shorter file.
          const next = await rows.next();
          if (next.done === true) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        },
        async cancel() {
          await rows.return(undefined);
        },
      });
      endResponse(
        new fetchAPI.Response(body, {
          status: 200,
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="journal-${ledgerId.replace(/[^A-Za-z0-9-]/g, '')}-${from}-${to}.csv"`,
            'cache-control': 'no-store',
          },
        }),
      );
    },
  };
}

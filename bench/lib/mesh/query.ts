import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { ledgerDayQuery, type LedgerDayData, type Movement } from '../ledger-day/query.ts';

/**
 * The ledger day as GraphQL Mesh can ask for it, and the gateway's query for the same facts.
 * Mesh's graph is generated from the OpenAPI documents, so its document has another shape
 * (`getSalesByDate`, `items`, the join as `reportEntries` on each sale for D and D+1), and it
 * cannot give what the gateway derives (decimals, one `captures` list). The two answers are
 * therefore compared as the facts they state: every answer is brought to one plain form and
 * checked equal to the reference join of the direct client before anything is timed.
 */

/** Mesh's document: a sale's Report entries are asked for D and D+1 on both accounts, as the direct client reads them. */
export const meshLedgerDayQuery = `query MeshLedgerDay($ledgerId: String!, $date: Date!, $reportDate: String!, $nextDate: String!) {
  getSalesByDate(ledgerId: $ledgerId, ledgerDate: $date, pageSize: 1000) {
    __typename
    ... on SalesDatePage {
      hasMore
      items {
        entryType
        time
        reference
        pspReference
        currency
        amounts { gross }
        lines { lineId name quantity unitPriceGross discountTotal lineTotalGross vatRate }
        funds: reportEntries(ledgerId: $ledgerId, topic: "funds", ledgerDate: $reportDate) { entryType ledgerDate amount currency }
        fundsNext: reportEntries(ledgerId: $ledgerId, topic: "funds", ledgerDate: $nextDate) { entryType ledgerDate amount currency }
        fees: reportEntries(ledgerId: $ledgerId, topic: "fees", ledgerDate: $reportDate) { entryType ledgerDate amount currency }
        feesNext: reportEntries(ledgerId: $ledgerId, topic: "fees", ledgerDate: $nextDate) { entryType ledgerDate amount currency }
      }
    }
  }
}`;

export function meshVariables(ledgerId: string, date: string, nextDate: string): Record<string, string> {
  return { ledgerId, date, reportDate: date, nextDate };
}

/** The gateway's query for the same facts: the ledger-day query without the decimals Mesh cannot give. */
export const gatewayEquivalentQuery = ledgerDayQuery.replace('query LedgerDay(', 'query LedgerDayFacts(').replaceAll(' decimal ', ' ');

/** One sale as a plain record of facts, whatever graph stated them. */
interface SaleFacts {
  entryType: string;
  /** The instant, as milliseconds: Mesh's DateTime scalar prints `…:20.000Z` where upstream sends `…:20Z`. */
  time: number;
  reference: string;
  pspReference: string | null;
  gross: { minorUnits: number; currency: string } | null;
  lines: Array<{ lineId: string; name: string; quantity: number; unitPriceGross: number | null; discount: number | null; lineTotalGross: number | null; vatRate: number | null }>;
  captures: EntryFacts[];
  fees: EntryFacts[];
}

interface EntryFacts {
  entryType: string;
  ledgerDate: string;
  amount: number;
  currency: string;
}

const minor = (value: { minorUnits: number } | null): number | null => value?.minorUnits ?? null;
const movementFacts = (movement: Movement): EntryFacts => ({
  entryType: movement.entryType,
  ledgerDate: movement.ledgerDate,
  amount: movement.amount.minorUnits,
  currency: movement.amount.currency,
});

/** The reference join (or the gateway's answer, which has its shape) as facts. */
function factsOfLedgerDay(data: LedgerDayData): SaleFacts[] {
  return data.ledger.sales.edges.map(({ node }) => ({
    entryType: node.entryType,
    time: Date.parse(node.time),
    reference: node.reference,
    pspReference: node.pspReference,
    gross: node.gross === null ? null : { minorUnits: node.gross.minorUnits, currency: node.gross.currency },
    lines: node.orderLines.map((line) => ({
      lineId: line.lineId,
      name: line.name,
      quantity: line.quantity,
      unitPriceGross: minor(line.unitPriceGross),
      discount: minor(line.discount),
      lineTotalGross: minor(line.lineTotalGross),
      vatRate: line.vatRate?.basisPoints ?? null,
    })),
    captures: node.captures.map(movementFacts),
    fees: node.fees.map(movementFacts),
  }));
}

const meshEntryModel = z.object({ entryType: z.string(), ledgerDate: z.string(), amount: z.number(), currency: z.string() });
const meshAnswerModel = z.object({
  data: z.object({
    getSalesByDate: z.object({
      __typename: z.literal('SalesDatePage'),
      hasMore: z.literal(false),
      items: z.array(
        z.object({
          entryType: z.string(),
          time: z.string(),
          reference: z.string(),
          pspReference: z.string().nullable(),
          currency: z.string(),
          amounts: z.object({ gross: z.number() }),
          lines: z.array(
            z.object({
              lineId: z.string(),
              name: z.string(),
              quantity: z.number(),
              unitPriceGross: z.number().nullable(),
              discountTotal: z.number().nullable(),
              lineTotalGross: z.number().nullable(),
              vatRate: z.number().nullable(),
            }),
          ),
          funds: z.array(meshEntryModel),
          fundsNext: z.array(meshEntryModel),
          fees: z.array(meshEntryModel),
          feesNext: z.array(meshEntryModel),
        }),
      ),
    }),
  }),
});

/**
 * Mesh's answer as facts. GraphQL enum values cannot hold `-`, so Mesh names `capture-fee`
 * `capture_fee`: the upstream name is restored. A sale's capture is on D, or on D+1 when it came
 * past the cut-off (D's entries when there are any, as the direct client takes them); its fees
 * are on both.
 */
function factsOfMesh(body: string): SaleFacts[] {
  const entry = (item: z.infer<typeof meshEntryModel>): EntryFacts => ({ ...item, entryType: item.entryType.replaceAll('_', '-') });
  return meshAnswerModel.parse(JSON.parse(body)).data.getSalesByDate.items.map((sale) => ({
    entryType: sale.entryType,
    time: Date.parse(sale.time),
    reference: sale.reference,
    pspReference: sale.pspReference,
    gross: { minorUnits: sale.amounts.gross, currency: sale.currency },
    lines: sale.lines.map((line) => ({
      lineId: line.lineId,
      name: line.name,
      quantity: line.quantity,
      unitPriceGross: line.unitPriceGross,
      discount: line.discountTotal,
      lineTotalGross: line.lineTotalGross,
      vatRate: line.vatRate,
    })),
    captures: (sale.funds.length > 0 ? sale.funds : sale.fundsNext).map(entry),
    fees: [...sale.fees, ...sale.feesNext].map(entry),
  }));
}

const gatewayAnswerModel = z.object({ data: z.custom<LedgerDayData>((value) => typeof value === 'object' && value !== null && 'ledger' in value) });

function expectFacts(label: string, body: string, facts: SaleFacts[], expected: LedgerDayData): void {
  if (!isDeepStrictEqual(facts, factsOfLedgerDay(expected))) {
    throw new Error(`${label} stated other facts than the reference join:\n${body.slice(0, 1000)}`);
  }
}

/** A Mesh answer must state exactly the reference join's facts, or comparing its speed means nothing. */
export function checkMeshAnswer(label: string, body: string, expected: LedgerDayData): void {
  if (body.includes('"errors"')) throw new Error(`${label} answered with errors:\n${body.slice(0, 1000)}`);
  expectFacts(label, body, factsOfMesh(body), expected);
}

/** The gateway's answer to the equivalent query, held to the same facts. */
export function checkGatewayFacts(label: string, body: string, expected: LedgerDayData): void {
  const answer: unknown = JSON.parse(body);
  if (typeof answer === 'object' && answer !== null && 'errors' in answer) throw new Error(`${label} answered with errors:\n${body.slice(0, 1000)}`);
  expectFacts(label, body, factsOfLedgerDay(gatewayAnswerModel.parse(answer).data), expected);
}

import { parse, specifiedRules, validate, type DocumentNode, type ExecutionArgs } from 'graphql';
import { envelop, type Plugin } from 'graphql-yoga';
import { loadConfig } from '../../src/config.ts';
import { schema } from '../../src/schema/index.ts';
import { useCostCheck } from '../../src/server/plugins/cost-check.ts';
import { useDocumentLimits } from '../../src/server/plugins/document-limits.ts';
import { ledgerDayQuery } from '../lib/ledger-day/query.ts';
import { ratio } from '../lib/measure.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';

export const name = 'document-checks';
export const description =
  'What the checks of the edge cost one request before anything runs: parse, validate and the cost estimate of the ledger-day document with graphql-js alone against the same with the token limit, graphql-armor, the field count, one operation per document and the cost check';

/**
 * The engine both sides share, as Yoga sets it up (`useEngine`): graphql-js's parse, validate
 * with its specified rules, and here an execution that answers at once, so that what is timed
 * is the pipeline in front of the resolvers. The gateway's plugins hook in as they do in Yoga.
 */
const engine: Plugin = {
  onPluginInit({ setSchema }) {
    setSchema(schema);
  },
  onParse({ setParseFn }) {
    setParseFn(parse);
  },
  onValidate({ setValidationFn, addValidationRule }) {
    setValidationFn(validate);
    for (const rule of specifiedRules) addValidationRule(rule);
  },
  onExecute({ setExecuteFn }) {
    setExecuteFn(() => ({ data: null }));
  },
};

const variables = { ledgerId: '370540', date: '2026-06-09' };

/** Microseconds per request of one pipeline, over `iterations` requests after a warm-up. */
async function timed(plugins: Plugin[], iterations: number): Promise<{ microseconds: number; errors: number }> {
  const getEnveloped = envelop({ plugins: [engine, ...plugins] });
  let errors = 0;
  const once = async () => {
    const { parse: parseFn, validate: validateFn, execute, contextFactory, schema: enveloped } = getEnveloped({});
    const document: DocumentNode = parseFn(ledgerDayQuery);
    const problems = validateFn(enveloped, document);
    if (problems.length > 0) {
      errors += 1;
      return;
    }
    const args: ExecutionArgs = { schema: enveloped, document, variableValues: variables, contextValue: await contextFactory() };
    const result = await execute(args);
    if ('errors' in result && result.errors !== undefined) errors += 1;
  };
  for (let i = 0; i < 200; i += 1) await once();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) await once();
  return { microseconds: Number(process.hrtime.bigint() - started) / 1000 / iterations, errors };
}

export async function run(context: BenchContext): Promise<Row[]> {
  const config = loadConfig({});
  const iterations = Math.max(2_000, context.durationSeconds * 500);
  const sides = {
    'graphql-js alone': [] as Plugin[],
    'with the checks of the edge': [...useDocumentLimits(config.document), useCostCheck(config.limits.maxQueryCost)] as Plugin[],
  };
  // Many short alternating rounds, each starting with the other side, so that a noisy
  // neighbour and the JIT's warming hit both sides alike.
  const rounds = Math.max(10, context.rounds);
  const totals = { 'graphql-js alone': [] as number[], 'with the checks of the edge': [] as number[] };
  for (let round = 0; round < rounds; round += 1) {
    const order = Object.entries(sides) as [keyof typeof sides, Plugin[]][];
    for (const [label, plugins] of round % 2 === 0 ? order : order.reverse()) {
      context.progress(`round ${round + 1}: ${label}`);
      const { microseconds, errors } = await timed(plugins, Math.ceil(iterations / rounds));
      if (errors > 0) throw new Error(`${label}: the ledger-day document was refused`);
      totals[label].push(microseconds);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const bare = median(totals['graphql-js alone']);
  const checked = median(totals['with the checks of the edge']);
  context.note(`ledger-day document (${Buffer.byteLength(ledgerDayQuery)} bytes), ${iterations} requests per side in ${rounds} alternating rounds, medians of the rounds`);
  context.note('for scale: a warm ledger-day request costs the gateway about 20 ms of CPU (npm run bench -- ledger-day-auth)');
  context.note("Yoga keeps parse and validation results per document text: a document sent again pays only the cost estimate, which needs the variables");
  return [
    {
      measure: 'parse + validate + cost estimate (µs per request)',
      'graphql-js alone': bare.toFixed(1),
      'with the checks': checked.toFixed(1),
      'checks/alone': ratio(checked, bare),
      'added (µs)': (checked - bare).toFixed(1),
    },
    {
      measure: 'per round (µs)',
      'graphql-js alone': totals['graphql-js alone'].map((value) => value.toFixed(0)).join(' '),
      'with the checks': totals['with the checks of the edge'].map((value) => value.toFixed(0)).join(' '),
    },
  ];
}

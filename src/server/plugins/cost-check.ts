import { getOperationAST, getVariableValues, GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { entryOf, Remembered } from '../../kernel/memo.ts';
import { estimateCost, type CostEstimate, type CostOptions } from '../../schema/cost.ts';

/**
 * Refuses an operation whose estimated upstream reads (see `cost.ts`) exceed `maxCost`
 * (`QUERY_MAX_COST`) before any resolver runs, so a refused document costs no upstream call.
 * Variables are needed for the estimate (ranges, page sizes), so this runs at execution rather
 * than validation. The per-request read budget stays behind it for what the estimate cannot see.
 */
export function useCostCheck(maxCost: number, options: CostOptions = {}): Plugin {
  // The estimate is a pure function of the document and its variables: a document run again
  // with the same variables (a dashboard, a portal) is priced once, not on every request.
  const estimates = new WeakMap<DocumentNode, Remembered<CostEstimate | null>>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation === null || operation === undefined) return;
      const key = `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
      const estimate = entryOf(estimates, args.document, () => new Remembered<CostEstimate | null>(64)).get(key, () =>
        estimateOf(args.schema, args.document, operation, args.variableValues ?? {}, options),
      );
      if (estimate === null || estimate.cost <= maxCost) return;
      const where = estimate.costliestPath === null ? '' : `, most of it ${estimate.costliestReads} at \`${estimate.costliestPath}\``;
      setResultAndStopExecution({
        errors: [
          new GraphQLError(
            `This request would read about ${estimate.cost} ledger dates upstream (per ledger and account)${where}; at most ${maxCost} are allowed. ${estimate.advice ?? 'Ask for fewer ledgers, shorter ranges or smaller pages per request.'}`,
            {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_COSTLY', cost: estimate.cost, maxCost, costliestPath: estimate.costliestPath },
            },
          ),
        ],
      });
    },
  };
}

/** The estimate, or null when execution itself answers first (variables or arguments that do not coerce). */
function estimateOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, options: CostOptions): CostEstimate | null {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  // Bad variables are answered by execution itself, before any resolver runs.
  if (coerced.errors !== undefined) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  try {
    return estimateCost(schema, operation, fragments, coerced.coerced, options);
  } catch {
    // An argument that does not coerce: execution answers it naming the argument.
    return null;
  }
}

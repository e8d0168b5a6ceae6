import { getOperationAST, getVariableValues, GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { estimateCost, type CostOptions } from '../../schema/cost.ts';

/**
 * Refuses an operation whose estimated upstream reads (see `cost.ts`) exceed `maxCost`
 * (`QUERY_MAX_COST`) before any resolver runs, so a refused document costs no upstream call.
 * Variables are needed for the estimate (ranges, page sizes), so this runs at execution rather
 * than validation. The per-request read budget stays behind it for what the estimate cannot see.
 */
export function useCostCheck(maxCost: number, options: CostOptions = {}): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation === null || operation === undefined) return;
      const coerced = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
      // Bad variables are answered by execution itself, before any resolver runs.
      if (coerced.errors !== undefined) return;
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of args.document.definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
      let estimate;
      try {
        estimate = estimateCost(args.schema, operation, fragments, coerced.coerced, options);
      } catch {
        // An argument that does not coerce: execution answers it naming the argument.
        return;
      }
      if (estimate.cost <= maxCost) return;
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

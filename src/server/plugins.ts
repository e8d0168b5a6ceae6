import { getOperationAST, getVariableValues, GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.ts';
import { isUpstreamError } from '../sources/index.ts';
import { nameArgumentsInErrors } from './argument-errors.ts';
import type { Context } from '../schema/context.ts';
import { estimateCost } from '../schema/cost.ts';
import { queryLimitsRule, type QueryLimits } from './document-limits.ts';

/** Refuses documents beyond the limits, and names the argument of a refused literal. */
export function useDocumentChecks(limits?: QueryLimits): Plugin {
  return {
    onValidate({ addValidationRule, params }) {
      addValidationRule(queryLimitsRule(limits));
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(nameArgumentsInErrors(params.documentAST, result));
      };
    },
  };
}

/**
 * Refuses an operation whose estimated upstream reads (see `cost.ts`) exceed `maxCost`
 * (`QUERY_MAX_COST`) before any resolver runs, so a refused document costs no upstream call.
 * Variables are needed for the estimate (ranges, page sizes), so this runs at execution rather
 * than validation. The per-request read budget stays behind it for what the estimate cannot see.
 */
export function useCostCheck(maxCost: number): Plugin {
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
        estimate = estimateCost(args.schema, operation, fragments, coerced.coerced);
      } catch {
        // An argument that does not coerce: execution answers it naming the argument.
        return;
      }
      if (estimate.cost <= maxCost) return;
      const where = estimate.costliestPath === null ? '' : `, most of it ${estimate.costliestReads} at \`${estimate.costliestPath}\``;
      setResultAndStopExecution({
        errors: [
          new GraphQLError(
            `This request would read about ${estimate.cost} ledger dates upstream (per ledger and account)${where}; at most ${maxCost} are allowed. Ask for fewer ledgers, shorter ranges or smaller pages per request.`,
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

/** The GraphQLError an error thrown by a resolver, or a deeper cause of it, is answered with. */
function publicError(error: GraphQLError, requestId: string, logger: Logger): GraphQLError {
  const cause = error.originalError;
  // Bad input, query limits, and anything else already written for the caller.
  if (cause === undefined || cause === null || cause instanceof GraphQLError) return error;
  const located = { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path };
  if (isUpstreamError(cause)) {
    logger.warn('upstream failure in a field', {
      requestId,
      path: error.path,
      code: cause.code,
      route: cause.route,
      status: cause.status,
    });
    const retryAfter = cause.retryAfterSeconds === null ? {} : { retryAfterSeconds: cause.retryAfterSeconds };
    return new GraphQLError(cause.message, { ...located, extensions: { code: cause.code, requestId, ...retryAfter } });
  }
  logger.error('unexpected failure in a field', { requestId, path: error.path, error: cause });
  return new GraphQLError('Unexpected error.', { ...located, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } });
}

/**
 * Upstream failures become GraphQL errors that carry their stable code (never the upstream
 * body), and unexpected ones are masked here with the request id so that an operator can find
 * them in the log. The other fields of the answer still resolve. Yoga's own masking stays on
 * behind this as the last guard.
 */
export function useErrorMapping(logger: Logger): Plugin<Pick<Context, 'requestId'>> {
  return {
    onExecute({ args }) {
      const { requestId } = args.contextValue;
      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            if (result.errors === undefined || result.errors.length === 0) return;
            setResult({ ...result, errors: result.errors.map((error) => publicError(error, requestId, logger)) });
          });
        },
      };
    },
  };
}

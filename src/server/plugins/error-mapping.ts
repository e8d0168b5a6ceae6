import { GraphQLError } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { Logger } from '../../logger.ts';
import { isUpstreamError } from '../../sources/index.ts';
import { ReadBudgetExceededError } from '../../sources/read-budget.ts';
import type { Context } from '../../schema/context.ts';

/** The GraphQLError an error thrown by a resolver, or a deeper cause of it, is answered with. */
function publicError(error: GraphQLError, requestId: string, logger: Logger): GraphQLError {
  const cause = error.originalError;
  // Bad input, query limits, and anything else already written for the caller.
  if (cause === undefined || cause === null || cause instanceof GraphQLError) return error;
  const located = { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path };
  if (cause instanceof ReadBudgetExceededError) {
    return new GraphQLError(cause.message, { ...located, extensions: { code: 'COST_LIMIT_EXCEEDED', maxDateReads: cause.limit, requestId } });
  }
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

import { GraphQLError } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { Logger } from '../../logger.ts';
import { isUpstreamError } from '../../sources/index.ts';
import { SumOutOfRangeError } from '../../kernel/exact.ts';
import { ReadBudgetExceededError } from '../../sources/read-budget.ts';
import type { Context } from '../../schema/context.ts';

/** What one answer's errors were, for one log line per request however many fields failed. */
class FailureLog {
  readonly upstream = new Map<string, number>();
  readonly paths: string[] = [];
  readonly unexpected: Array<{ path: string; error: unknown }> = [];

  add(error: GraphQLError, code: string): void {
    this.upstream.set(code, (this.upstream.get(code) ?? 0) + 1);
    if (this.paths.length < 3) this.paths.push((error.path ?? []).join('.'));
  }

  write(logger: Logger, requestId: string): void {
    if (this.upstream.size > 0) {
      logger.warn('upstream failures in fields', { requestId, byCode: Object.fromEntries(this.upstream), firstPaths: this.paths });
    }
    for (const { path, error } of this.unexpected.slice(0, 3)) logger.error('unexpected failure in a field', { requestId, path, error });
    if (this.unexpected.length > 3) logger.error('more unexpected failures in fields', { requestId, count: this.unexpected.length - 3 });
  }
}

/** The GraphQLError an error thrown by a resolver, or a deeper cause of it, is answered with. */
function publicError(error: GraphQLError, requestId: string, failures: FailureLog): GraphQLError {
  const cause = error.originalError;
  // Bad input, query limits, and anything else already written for the caller.
  if (cause === undefined || cause === null || cause instanceof GraphQLError) return error;
  const located = { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path };
  if (cause instanceof ReadBudgetExceededError) {
    return new GraphQLError(cause.message, { ...located, extensions: { code: 'COST_LIMIT_EXCEEDED', maxDateReads: cause.limit, requestId } });
  }
  if (cause instanceof SumOutOfRangeError) {
    // Served as it is, the sum would be rounded by every JSON reader: the field is answered null, named.
    const field = (error.path ?? []).join('.');
    const message = `The sum at \`${field}\` is beyond ±(2^53 − 1) minor units and cannot be served exactly; ask for fewer dates or ledgers.`;
    return new GraphQLError(message, { ...located, extensions: { code: 'SUM_OUT_OF_RANGE', field, requestId } });
  }
  if (isUpstreamError(cause)) {
    failures.add(error, cause.code);
    const retryAfter = cause.retryAfterSeconds === null ? {} : { retryAfterSeconds: cause.retryAfterSeconds };
    return new GraphQLError(cause.message, { ...located, extensions: { code: cause.code, requestId, ...retryAfter } });
  }
  failures.unexpected.push({ path: (error.path ?? []).join('.'), error: cause });
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
            const failures = new FailureLog();
            setResult({ ...result, errors: result.errors.map((error) => publicError(error, requestId, failures)) });
            failures.write(logger, requestId);
          });
        },
      };
    },
  };
}

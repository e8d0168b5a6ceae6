import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST, getVariableValues, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Executes documents with graphql-jit: each parsed document is compiled once into plain
 * functions, which answers a ledger day in a fraction of the time of the interpreting executor
 * Yoga ships (bench/README.md, ledger-day). Results, errors and masking are the same, with one
 * exception handled here: graphql-jit answers a variable that its scalar refuses without the
 * scalar's reason ("Expected type Date."), so a request whose variables do not coerce is
 * executed by graphql-js, which names the reason. That path answers before any resolver runs.
 *
 * Compiling costs more than executing once, so a document is compiled on its second execution:
 * what partners run again and again is compiled, a stream of one-off documents (a fuzz, an
 * explorer) is not. Yoga's parse cache hands the same document object for the same text.
 */
export function useCompiledExecution(): Plugin {
  const executions = new WeakMap<DocumentNode, number>();
  return useGraphQlJit(
    {},
    {
      enableIf: ({ schema, document, operationName, variableValues }) => {
        const seen = (executions.get(document) ?? 0) + 1;
        executions.set(document, seen);
        if (seen < 2) return false;
        const operation = getOperationAST(document, operationName);
        if (operation === null || operation === undefined) return false;
        const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues ?? {});
        return coerced.errors === undefined;
      },
    },
  ) as Plugin;
}

import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST, getVariableValues, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { entryOf, Remembered } from '../../kernel/memo.ts';

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
  // Whether a document's variables coerce, by operation and variables: coercing them again for
  // every request of a document run again and again was about 2% of a warm answer.
  const coercible = new WeakMap<DocumentNode, Remembered<boolean>>();
  return useGraphQlJit(
    {},
    {
      enableIf: ({ schema, document, operationName, variableValues }) => {
        const seen = (executions.get(document) ?? 0) + 1;
        executions.set(document, seen);
        if (seen < 2) return false;
        const coerces = () => {
          const operation = getOperationAST(document, operationName);
          return operation !== null && operation !== undefined && getVariableValues(schema, operation.variableDefinitions ?? [], variableValues ?? {}).errors === undefined;
        };
        const key = `${operationName ?? ''}\u0000${JSON.stringify(variableValues ?? {})}`;
        // Longer variables are coerced every time rather than kept: at most about a MiB per document.
        if (key.length > rememberedKeyLength) return coerces();
        return entryOf(coercible, document, () => new Remembered<boolean>(variablesRemembered)).get(key, coerces);
      },
    },
  ) as Plugin;
}

/** Variables remembered per document: a portal's ledgers and dates, bounded against a caller who varies them endlessly. */
const variablesRemembered = 1000;
const rememberedKeyLength = 1024;

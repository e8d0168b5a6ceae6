import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { nameArgumentsInErrors } from './argument-errors.ts';

/**
 * Limits on what one document may ask for. Every level of the graph below a ledger can cost
 * upstream fetches, so a document is refused before execution when it nests deeper than any
 * real question needs, or selects more fields (aliases included) than any screen shows.
 * Introspection is not counted.
 */
export interface QueryLimits {
  maxDepth: number;
  maxSelections: number;
}

export const defaultQueryLimits: QueryLimits = { maxDepth: 12, maxSelections: 2000 };

interface Measure {
  depth: number;
  selections: number;
}

function measure(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visiting: ReadonlySet<string>,
): Measure {
  let depth = 0;
  let selections = 0;
  for (const selection of selectionSet.selections) {
    let inner: Measure = { depth: 0, selections: 0 };
    if (selection.kind === Kind.FIELD) {
      // Introspection (`__schema`, `__type`, `__typename`) costs no upstream call, and GraphiQL's
      // own introspection query nests deeper than any limit worth having.
      if (selection.name.value.startsWith('__')) continue;
      const below = selection.selectionSet ? measure(selection.selectionSet, fragments, visiting) : inner;
      inner = { depth: below.depth + 1, selections: below.selections + 1 };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measure(selection.selectionSet, fragments, visiting);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A cycle is refused by graphql's own NoFragmentCycles rule; only keep from looping here.
      if (fragment !== undefined && !visiting.has(name)) {
        inner = measure(fragment.selectionSet, fragments, new Set([...visiting, name]));
      }
    }
    depth = Math.max(depth, inner.depth);
    selections += inner.selections;
  }
  return { depth, selections };
}

export function queryLimitsRule(limits: QueryLimits = defaultQueryLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(
      context
        .getDocument()
        .definitions.flatMap((definition) =>
          definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
        ),
    );
    return {
      OperationDefinition(operation) {
        const { depth, selections } = measure(operation.selectionSet, fragments, new Set());
        const name = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
        if (depth > limits.maxDepth) {
          context.reportError(
            new GraphQLError(`${name} nests ${depth} levels deep; at most ${limits.maxDepth} are allowed.`, {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_DEEP', maxDepth: limits.maxDepth },
            }),
          );
        }
        if (selections > limits.maxSelections) {
          context.reportError(
            new GraphQLError(
              `${name} selects ${selections} fields (fragments expanded); at most ${limits.maxSelections} are allowed.`,
              {
                nodes: [operation],
                extensions: { code: 'QUERY_TOO_LARGE', maxSelections: limits.maxSelections },
              },
            ),
          );
        }
      },
    };
  };
}

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

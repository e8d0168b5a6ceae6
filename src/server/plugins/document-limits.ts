import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  Kind,
  parse,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { DocumentLimits } from '../../config.ts';
import { nameArgumentsInErrors } from './argument-errors.ts';

/**
 * Limits on what one document may hold, checked before anything runs. Every level of the graph
 * below a ledger can cost upstream fetches, so a document is refused when it is longer, deeper,
 * wider or more aliased than any real question needs. Every walk is linear in the document:
 * graphql-js stops parsing past the token limit, graphql-armor's depth, alias and directive
 * rules measure each fragment once, and so does the field count below.
 */

type Code = 'QUERY_TOO_DEEP' | 'QUERY_TOO_LARGE';

function refusal(message: string, code: Code, limit: string, max: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, limit, max } });
}

/** Reports an armor rule's refusal with our code, instead of its "Syntax Error:" throw. */
function armorReject(code: Code, limit: string, max: number) {
  return {
    n: max,
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(refusal(error.message.replace(/^Syntax Error: /, ''), code, limit, max)),
    ],
  };
}

/**
 * Fields a selection set selects, fragments expanded, with each fragment measured once (a
 * fragment spread twice by each of twenty others is counted, not walked, a million times).
 * Counts stop growing past `cap`, so the numbers stay small whatever the document.
 */
function fieldCounter(fragments: ReadonlyMap<string, FragmentDefinitionNode>, cap: number) {
  const measured = new Map<string, number>();
  const count = (selectionSet: SelectionSetNode): number => {
    let fields = 0;
    for (const selection of selectionSet.selections) {
      if (fields > cap) break;
      if (selection.kind === Kind.FIELD) {
        fields += 1 + (selection.selectionSet ? count(selection.selectionSet) : 0);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        fields += count(selection.selectionSet);
      } else {
        fields += fragmentFields(selection.name.value);
      }
    }
    return Math.min(fields, cap + 1);
  };
  const fragmentFields = (name: string): number => {
    const known = measured.get(name);
    if (known !== undefined) return known;
    // A cycle is refused by graphql's own NoFragmentCycles rule; counting it as empty ends the walk.
    measured.set(name, 0);
    const fragment = fragments.get(name);
    const fields = fragment === undefined ? 0 : count(fragment.selectionSet);
    measured.set(name, fields);
    return fields;
  };
  return count;
}

function maxFieldsRule(maxFields: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(
      context.getDocument().definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
    );
    const count = fieldCounter(fragments, maxFields);
    return {
      OperationDefinition(operation) {
        const fields = count(operation.selectionSet);
        if (fields <= maxFields) return;
        const name = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
        context.reportError(
          refusal(`${name} selects more than ${maxFields} fields (fragments expanded, aliases included).`, 'QUERY_TOO_LARGE', 'fields', maxFields),
        );
      },
    };
  };
}

/**
 * One operation per document: a document of a thousand operations is parsed and validated in
 * full however few of them run, and no client needs more than the one it names.
 */
function singleOperationRule(context: ValidationContext): ASTVisitor {
  const operations = context.getDocument().definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length;
  if (operations > 1) {
    context.reportError(refusal(`The document holds ${operations} operations; send one per request.`, 'QUERY_TOO_LARGE', 'operations', 1));
  }
  return {};
}

/** graphql-js's own token limit: the parser stops at the first token past it. */
function useMaxTokens(maxTokens: number): Plugin {
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parse(source, { ...options, maxTokens });
        } catch (error) {
          if (error instanceof GraphQLError && /more tha[nt] \d+ tokens/.test(error.message)) {
            throw refusal(`The document holds more than ${maxTokens} tokens.`, 'QUERY_TOO_LARGE', 'tokens', maxTokens);
          }
          throw error;
        }
      });
    },
  };
}

/** Names the argument of a literal its type refuses, and marks it as the caller's to fix. */
function useArgumentNames(): Plugin {
  return {
    onValidate({ params }) {
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(nameArgumentsInErrors(params.documentAST, result));
      };
    },
  };
}

export function useDocumentLimits(limits: DocumentLimits): Plugin[] {
  return [
    useMaxTokens(limits.maxTokens),
    // GraphiQL's own introspection query nests deeper than any limit worth having on data.
    maxDepthPlugin({ ...armorReject('QUERY_TOO_DEEP', 'depth', limits.maxDepth), flattenFragments: true, ignoreIntrospection: true }),
    {
      onValidate: ({ addValidationRule }) => {
        addValidationRule(singleOperationRule);
        addValidationRule(maxFieldsRule(limits.maxFields));
      },
    },
    maxAliasesPlugin(armorReject('QUERY_TOO_LARGE', 'aliases', limits.maxAliases)),
    maxDirectivesPlugin(armorReject('QUERY_TOO_LARGE', 'directives', limits.maxDirectives)),
    useArgumentNames(),
  ];
}

import { GraphQLError, visit, type ASTNode, type DocumentNode, type ValueNode } from 'graphql';

function valueNodes(value: ValueNode): ValueNode[] {
  if (value.kind === 'ListValue') return [value, ...value.values.flatMap(valueNodes)];
  if (value.kind === 'ObjectValue') return [value, ...value.fields.flatMap((field) => valueNodes(field.value))];
  return [value];
}

/**
 * graphql-js reports a literal an argument's type refuses (`date: "2026-02-30"`, `first: "ten"`)
 * with the value and its location but not the argument's name. This names it, and marks the
 * error as the caller's to fix (`BAD_USER_INPUT`).
 */
export function nameArgumentsInErrors(document: DocumentNode, errors: readonly Error[]): Error[] {
  const argumentOf = new Map<ASTNode, string>();
  visit(document, {
    Argument(argument) {
      for (const node of valueNodes(argument.value)) argumentOf.set(node, argument.name.value);
    },
  });
  return errors.map((error) => {
    if (!(error instanceof GraphQLError)) return error;
    const node = error.nodes?.[0];
    const argument = node === undefined ? undefined : argumentOf.get(node);
    if (argument === undefined) return error;
    return new GraphQLError(`Argument "${argument}" has an invalid value. ${error.message}`, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      extensions: { ...error.extensions, code: 'BAD_USER_INPUT', argument },
    });
  });
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, isInputObjectType, isInterfaceType, isNonNullType, isObjectType, type GraphQLField } from 'graphql';
import { describe, expect, it } from 'vitest';

/**
 * The README and docs/ describe this repository's graph: every `Type.field(arguments)` and
 * `Type { fields }` they name is in schema.graphql with those arguments (the required ones
 * included), and every link they hold leads to a file of the repository.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const documents = ['README.md', 'examples/portal/README.md', ...readdirSync(join(root, 'docs')).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];
const schema = buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8'));

function fieldOf(typeName: string, fieldName: string): GraphQLField<unknown, unknown> | undefined {
  const type = schema.getType(typeName);
  if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) return undefined;
  const field = type.getFields()[fieldName];
  return field !== undefined && 'args' in field ? field : undefined;
}

/** What `Type.field(a, b)` or `Type.field` claims, or why the schema disagrees; null when it agrees. */
function disagreement(typeName: string, fieldName: string, argumentList: string | undefined): string | null {
  const field = fieldOf(typeName, fieldName);
  if (field === undefined) return `${typeName}.${fieldName} is not in schema.graphql`;
  if (argumentList === undefined) return null;
  const named = argumentList.split(',').map((argument) => argument.split(':')[0]!.trim()).filter((name) => name !== '');
  const unknown = named.filter((name) => !field.args.some((argument) => argument.name === name));
  if (unknown.length > 0) return `${typeName}.${fieldName} has no argument ${unknown.join(', ')}`;
  const required = field.args.filter((argument) => isNonNullType(argument.type) && argument.defaultValue === undefined).map((argument) => argument.name);
  const missing = required.filter((name) => !named.includes(name));
  return missing.length > 0 ? `${typeName}.${fieldName}(${argumentList}) leaves out the required ${missing.join(', ')}` : null;
}

describe.each(documents)('%s', (document) => {
  const text = readFileSync(join(root, document), 'utf8');

  it('names only fields and arguments that schema.graphql has', () => {
    const problems: string[] = [];
    for (const [, typeName, fieldName, argumentList] of text.matchAll(/`([A-Z]\w*)\.(\w+)(?:\(([^)`]*)\))?`/g)) {
      const problem = disagreement(typeName!, fieldName!, argumentList);
      if (problem !== null) problems.push(problem);
    }
    for (const [, typeName, fieldList] of text.matchAll(/`([A-Z]\w*) \{ ([^`}]*) \}`/g)) {
      for (const fieldName of fieldList!.split(/[\s,]+/).map((name) => name.split(':')[0]!).filter((name) => name !== '')) {
        if (fieldOf(typeName!, fieldName) === undefined) problems.push(`${typeName}.${fieldName} is not in schema.graphql`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('links only to files of the repository', () => {
    const outside: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?|mailto):/.test(target!) || target!.startsWith('#')) continue;
      const path = resolve(dirname(join(root, document)), target!.split('#')[0]!);
      if (relative(root, path).startsWith('..') || !existsSync(path)) outside.push(target!);
    }
    expect(outside).toEqual([]);
  });
});

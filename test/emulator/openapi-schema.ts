import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * The official Report API OpenAPI 3.0 document turned into JSON Schema validators: component
 * references become `$defs`, OpenAPI-only keywords go, `entryType` becomes an open string
 * (upstream adds types without notice), and the document's own format names get real checks.
 */

const documentModel = z.object({
  paths: z.record(z.string(), z.unknown()),
  components: z.object({ schemas: z.record(z.string(), z.unknown()), responses: z.record(z.string(), z.unknown()) }),
});

const openApiOnly = new Set(['example', 'nullable', 'deprecated', 'xml', 'externalDocs', 'discriminator']);

function toJsonSchema(node: unknown, path: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, path));
  if (typeof node !== 'object' || node === null) return node;
  const result: Record<string, unknown> = {};
  const record = z.record(z.string(), z.unknown()).parse(node);
  for (const [key, value] of Object.entries(record)) {
    if (openApiOnly.has(key)) continue;
    if (key === '$ref' && typeof value === 'string') {
      result[key] = value.replace('#/components/schemas/', '#/$defs/');
    } else if (key === 'enum' && path[path.length - 1] === 'entryType') {
      continue;
    } else {
      result[key] = toJsonSchema(value, [...path, key]);
    }
  }
  if (record['nullable'] === true && typeof record['type'] === 'string') result['type'] = [record['type'], 'null'];
  return result;
}

function pick(node: unknown, ...keys: string[]): unknown {
  let current = node;
  for (const key of keys) current = z.record(z.string(), z.unknown()).parse(current)[key];
  if (current === undefined) throw new Error(`no ${keys.join('/')} in the OpenAPI document`);
  return current;
}

export interface ReportValidators {
  reportPage: ValidateFunction;
  ledgerPage: ValidateFunction;
  unauthorized: ValidateFunction;
  serverError: ValidateFunction;
  problem: ValidateFunction;
}

export function reportValidators(file = new URL('../fixtures/report-api-2.0.openapi.yaml', import.meta.url)): ReportValidators {
  const document = documentModel.parse(parse(readFileSync(file, 'utf8')));
  const ajv = new Ajv({ strict: true, allErrors: true });
  // ajv-formats is CommonJS: under NodeNext its plugin is the default export's `default`.
  addFormatsModule.default(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (value: number) => Number.isInteger(value) && value >= -(2 ** 31) && value <= 2 ** 31 - 1 });
  ajv.addFormat('DateTime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/);
  ajv.addFormat('Date in YYYY-MM-DD format.', /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat('Date', /^\d{4}-\d{2}-\d{2}$/);
  const components = z.record(z.string(), z.unknown()).parse(toJsonSchema(document.components.schemas));
  const compile = (...keys: string[]) => ajv.compile({ $ref: '#/$defs/target', $defs: { ...components, target: toJsonSchema(pick(document, ...keys)) } });
  return {
    reportPage: compile('components', 'responses', '200', 'content', 'application/json', 'schema'),
    ledgerPage: compile('paths', '/settlement/v1/ledgers', 'get', 'responses', '200', 'content', 'application/json', 'schema'),
    unauthorized: compile('components', 'responses', '401', 'content', 'application/json', 'schema'),
    serverError: compile('components', 'responses', '500', 'content', 'application/json', 'schema'),
    problem: compile('components', 'schemas', 'Problem'),
  };
}

/** Ajv's complaint in one line, for an assertion message. */
export function errorsOf(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`).join('; ');
}

import { readFileSync, writeFileSync } from 'node:fs';
import { printSchema } from './index.ts';

/**
 * Writes the printed schema to `schema.graphql` at the project root (what codegen and schema
 * reviews read); with `--check`, only reports whether the committed file has drifted.
 */
const target = new URL('../../schema.graphql', import.meta.url);
const printed = printSchema();

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // A missing file has drifted as much as a stale one.
  }
  if (committed !== printed) {
    process.stderr.write('schema.graphql is out of date: run `npx tsx src/schema/print.ts` and commit it.\n');
    process.exit(1);
  }
} else {
  writeFileSync(target, printed);
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printSchema } from '../../src/schema/index.ts';

describe('schema.graphql', () => {
  it('is the schema the code builds (reprint with `npx tsx src/schema/print.ts`, then `npm run codegen`)', () => {
    const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(printSchema()).toBe(committed);
  });
});

import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for the tests, generated from the committed schema.graphql
// (`npx tsx src/schema/print.ts && npm run codegen`).
const config: CodegenConfig = {
  schema: 'schema.graphql',
  // Only the suites that query the graph: other suites' files are not parsed for documents.
  documents: ['test/graph/**/*.ts', 'test/support/**/*.ts', 'test/bookkeeping/**/*.ts', 'test/caching/**/*.ts', 'test/mirror/**/*.ts', 'test/resilience/**/*.ts'],
  ignoreNoDocuments: true,
  // The project imports relative TypeScript files with their `.ts` extension (NodeNext).
  importExtension: '.ts',
  generates: {
    'test/gql/': {
      preset: 'client',
      // The suites read whole answers: fragments are spread into the result types, not masked.
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Date: 'string', DateTime: 'string', MinorUnits: 'number', Currency: 'string' },
      },
    },
  },
};

export default config;

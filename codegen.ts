import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for the tests, generated from the committed schema.graphql
// (`npx tsx src/schema/print.ts && npm run codegen`).
const config: CodegenConfig = {
  schema: 'schema.graphql',
  // Every suite writes its documents with `graphql()` from test/gql; the output is not scanned.
  documents: ['test/**/*.ts', '!test/gql/**'],
  ignoreNoDocuments: true,
  // The project imports relative TypeScript files with their `.ts` extension (NodeNext).
  importExtension: '.ts',
  generates: {
    'test/gql/': {
      preset: 'client',
      // The suites read whole answers: fragments are spread into the result types, not masked.
      // Each document also gets its sha256, and `persisted-documents.json` lists them: the
      // manifest a gateway trusts (`TRUSTED_DOCUMENTS`) is built the same way for a portal.
      presetConfig: { fragmentMasking: false, persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' } },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Date: 'string', DateTime: 'string', MinorUnits: 'number', Currency: 'string' },
      },
    },
  },
};

export default config;

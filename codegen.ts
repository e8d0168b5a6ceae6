import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for the tests, generated from the committed schema.graphql.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/**/*.ts', '!test/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    'test/gql/': {
      preset: 'client',
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { Date: 'string', DateTime: 'string', MinorUnits: 'number' } },
    },
  },
};

export default config;

import type { CodegenConfig } from '@graphql-codegen/cli';

// The portal's typed documents and the manifest of them the gateway trusts
// (`npm run portal:codegen`; the gateway loads `src/gql/persisted-documents.json` through
// `TRUSTED_DOCUMENTS`). Paths are from the repository root, where npm runs it.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/portal/src/**/*.ts', '!examples/portal/src/gql/**'],
  generates: {
    'examples/portal/src/gql/': {
      preset: 'client',
      // The page sends each document's hash, never its text (`replaceDocumentWithHash`). Masking
      // is off to keep a small example's rendering code direct.
      presetConfig: { fragmentMasking: false, persistedDocuments: { mode: 'replaceDocumentWithHash', hashAlgorithm: 'sha256' } },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Date: 'string', DateTime: 'string', MinorUnits: 'number', Currency: 'string' },
      },
    },
  },
};

export default config;

// Plain JavaScript: Mesh's compose CLI imports this file itself, outside the product's TypeScript build.
import { createRenameTransform, defineConfig } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

/**
 * The supergraph a GraphQL Mesh user would compose over the two upstreams: the Sales API from the
 * OpenAPI document the emulator serves, the Report API from its official document, both pointed
 * at the emulator (`MESH_UPSTREAM_URL`). The join is added as fields on a sale; their resolvers
 * are in gateway.config.mjs, as Mesh's docs recommend for logic a declaration cannot express.
 */

const upstream = process.env.MESH_UPSTREAM_URL;
if (!upstream) throw new Error('MESH_UPSTREAM_URL is required');

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph('Sales', {
        source: `${upstream}/sales/openapi.json`,
        endpoint: upstream,
      }),
      // Both documents name their error body `Problem`, with different fields: one name per subgraph.
      transforms: [createRenameTransform({ typeRenamer: ({ typeName }) => (typeName === 'Problem' ? 'SalesProblem' : typeName) })],
    },
    {
      sourceHandler: loadOpenAPISubgraph('Report', {
        source: '../../test/fixtures/report-api-2.0.openapi.yaml',
        endpoint: upstream,
      }),
    },
  ],
  additionalTypeDefs: /* GraphQL */ `
    extend type SalesEntry {
      """
      This sale's entries (its capture or refund on funds, its fees on fees) on one ledger date of
      the Report API, matched by pspReference. The topic is an argument, not a field of its own:
      fields that delegate to the same source field with the same arguments share one batch.
      """
      reportEntries(ledgerId: String!, topic: String!, ledgerDate: String!): [Transaction!]
    }
  `,
});

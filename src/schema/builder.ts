import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import type { Role } from '../tenancy/roles.ts';
import type { Context } from './context.ts';

/**
 * The schema builder: configuration only; every type lives in its own file under `types/`.
 * Scope auth comes first, so a field a caller's roles do not allow never runs; the errors
 * plugin comes before the dataloader plugin so that a loadable field can still answer an
 * expected failure as data.
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: {
    ID: { Input: string; Output: string };
    Date: { Input: string; Output: string };
    DateTime: { Input: string; Output: string };
    MinorUnits: { Input: number; Output: number };
    Currency: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
  AuthScopes: { role: Role };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, DataloaderPlugin, RelayPlugin],
  scopeAuth: {
    authScopes: (context) => ({ role: (role: Role) => context.caller.roles.has(role) }),
    unauthorizedError: (_parent, _context, info) =>
      new GraphQLError(`${info.parentType.name}.${info.fieldName} is not for your tenant's roles.`, {
        extensions: { code: 'FORBIDDEN', field: `${info.parentType.name}.${info.fieldName}` },
      }),
  },
  defaultFieldNullability: false,
  errors: { directResult: true },
  relay: {
    cursorType: 'String',
    // Query.node is defined by hand (types/node.ts) so that a malformed id is answered as bad
    // input naming the argument instead of an unexpected error.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    nodeTypeOptions: {
      description: 'An object with a global id that `Query.node(id:)` can fetch again later.',
    },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits in the whole list (Relay cursor connections).' },
    idFieldOptions: { description: 'Global id of this object; pass it to `Query.node(id:)` to fetch it again.' },
    defaultConnectionTypeOptions: { description: 'One page of a list, with cursors to fetch the neighbouring pages.' },
    defaultEdgeTypeOptions: { description: 'One item of a page and its cursor.' },
    cursorFieldOptions: { description: 'Opaque position of this item; pass it as `after` to continue after it.' },
    nodeFieldOptions: { description: 'The item.' },
    edgesFieldOptions: { description: 'The items of this page, in upstream order.' },
    pageInfoFieldOptions: { description: 'Cursors and flags for paging on.' },
    hasNextPageFieldOptions: { description: 'Whether more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether items come before this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of this page.' },
    firstArgOptions: { description: 'How many items to return (0 to 1000; default 100).' },
    afterArgOptions: { description: 'Return the items after this cursor (an `endCursor` or edge `cursor` of this list).' },
    lastArgOptions: { description: 'How many items to return from the end (0 to 1000).' },
    beforeArgOptions: { description: 'Return the items before this cursor.' },
  },
});

builder.queryType({
  description:
    'Read-only access to the ledgers, sales and money movements granted to your accounting keys. Every field that ' +
    'needs an upstream call is nullable: when the call fails it answers null with a GraphQL error whose ' +
    '`extensions.code` says why (`UPSTREAM_TIMEOUT`, `UPSTREAM_UNAVAILABLE`, `UPSTREAM_RATE_LIMITED`, ' +
    '`UPSTREAM_BAD_RESPONSE`, …), and the rest of the answer still resolves.',
});

import { brandWithType, type SchemaTypes } from '@pothos/core';
import { decodeGlobalID, resolveNodes } from '@pothos/plugin-relay';
import { costOf, joinDates } from '../cost.ts';
import { builder } from '../builder.ts';
import { badInput } from '../input-errors.ts';
import { checkedId, idForms } from '../inputs.ts';
import { parseSaleKey } from '../joins/sale-keys.ts';
import { parsePayoutKey } from './payout.ts';

/** Node types and how to tell a well-formed local id of each. */
const localIdCheck: Readonly<Record<string, (id: string) => boolean>> = {
  Ledger: (id) => id.length > 0,
  Sale: (id) => parseSaleKey(id) !== null,
  Payout: (id) => parsePayoutKey(id) !== null,
};

function decodeNodeId(id: string): { typename: string; id: string } {
  checkedId('id', id, idForms.globalId);
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(id);
  } catch {
    throw badInput('id', `is not a global id of this API (take one from an \`id\` field); got ${JSON.stringify(id.slice(0, 64))}`);
  }
  const check = localIdCheck[decoded.typename];
  if (check === undefined || !check(decoded.id)) {
    throw badInput('id', `is not a global id of this API (take one from an \`id\` field); got ${JSON.stringify(id.slice(0, 64))}`);
  }
  return decoded;
}

builder.queryField('node', (t) =>
  t.field({
    extensions: costOf((c) => {
      c.reads(1);
      c.joinsOn(joinDates);
    }),
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description:
      'Fetches an object again by its global `id`. Null when it is no longer visible to your keys (e.g. the ledger ' +
      'was withdrawn); a malformed id is an error naming the argument.',
    args: { id: t.arg.id({ required: true, description: 'A global id from an `id` field of this API.' }) },
    resolve: async (_root, args, context, info) => {
      const decoded = decodeNodeId(String(args.id));
      const [pending] = await resolveNodes(builder, context, info, [decoded]);
      const node: unknown = await pending;
      if (node == null) return null;
      // An id asked twice in one document is answered from the first ask's load, which marks the
      // object with its type only after this ask has it: the type would be unknown here. The id
      // names the type, so mark it from the id.
      brandWithType<SchemaTypes & { outputShapes: Record<string, unknown> }>(node, decoded.typename);
      return node;
    },
  }),
);

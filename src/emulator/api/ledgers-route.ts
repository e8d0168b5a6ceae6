import { z } from 'zod';
import type { LedgerSpec } from '../data/catalog.ts';
import { badRequest, json, type Reply } from '../http/reply.ts';
import type { ApiRequest, EmulatorContext } from './context.ts';

/**
 * `GET /settlement/v1/ledgers`: the caller's granted ledgers in small pages, so clients exercise
 * paging. The cursor is upstream's base64 JSON keyset (`afterLedgerId`) and carries the filter;
 * `cursor: ""` marks the last page. No access means an empty list, never an error.
 */

const ledgerPageSize = 5;

const cursorModel = z.object({ afterLedgerId: z.string(), settlesForRecipientHandles: z.string().nullable() });

function decodeCursor(text: string): z.infer<typeof cursorModel> | null {
  try {
    return cursorModel.parse(JSON.parse(Buffer.from(text.replace(/ /g, '+'), 'base64').toString('utf8')));
  } catch {
    return null;
  }
}

function ledgerJson(ledger: LedgerSpec) {
  return {
    ledgerId: ledger.ledgerId,
    currency: ledger.currency,
    payoutBankAccount: ledger.payoutBankAccount,
    owner: ledger.owner,
    settlesForRecipientHandles: ledger.salesUnits.map((unit) => unit.recipientHandle),
    salesUnits: ledger.salesUnits,
  };
}

export function ledgersRoute(context: EmulatorContext, request: ApiRequest): Reply {
  const cursorText = request.query.get('cursor');
  const cursor = cursorText ? decodeCursor(cursorText) : null;
  if (cursorText && !cursor) return badRequest(request.path, 'cursor', 'Malformed cursor');
  const handle = cursor ? cursor.settlesForRecipientHandles : request.query.get('settlesForRecipientHandles') || null;
  const after = cursor?.afterLedgerId ?? '';
  const matching = context.world.catalog.ledgers.filter(
    (ledger) =>
      ledger.grantedTo.includes(request.partner.clientId) &&
      ledger.ledgerId > after &&
      (handle === null || ledger.salesUnits.some((unit) => unit.recipientHandle === handle)),
  );
  const page = matching.slice(0, ledgerPageSize);
  const last = page[page.length - 1];
  const next =
    matching.length > ledgerPageSize && last
      ? Buffer.from(JSON.stringify({ afterLedgerId: last.ledgerId, settlesForRecipientHandles: handle })).toString('base64')
      : '';
  return json(200, { items: page.map(ledgerJson), cursor: next });
}

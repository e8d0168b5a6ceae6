import { dateString, reportTime } from './calendar.ts';
import type { LedgerSpec } from './catalog.ts';
import { movementSeq, type Identifiers } from './identifiers.ts';
import { Rng } from './random.ts';
import type { Row } from './ledger-rows.ts';
import type { Sale } from './sale-records.ts';

/**
 * Report API entries as upstream writes them. Fields that have no value for an entry type are
 * left out rather than null (the OpenAPI document types them as plain strings).
 */

export interface ReportEntry {
  pspReference: string;
  time: string;
  ledgerDate: string;
  entryType: string;
  reference: string;
  currency: string;
  amount: number;
  balanceBefore: number;
  balanceAfter: number;
  recipientHandle?: string;
  name?: string;
  maskedPhoneNo?: string;
  message?: string;
}

const firstNames = ['Kari', 'Ola', 'Ingrid', 'Lars', 'Sofie', 'Mads', 'Emma', 'Jakob', 'Aino', 'Mikko', 'Nora', 'Henrik', 'Ida', 'Magnus', 'Freja', 'Elias'];
const messages = ['Takk!', 'Kaffe', 'Middag', 'Lodd', 'Bursdagsgave', 'Tak for i dag', 'Kiitos', 'Gave', 'Kontingent'];

/** The order's reference (shared by all its movements) and the pspReference of one movement of it. */
export function saleReferences(ids: Identifiers, ledger: LedgerSpec, sale: Sale, refund: boolean, part: number): { pspReference: string; reference: string } {
  const position = { slot: ledger.slot, day: sale.day, seq: sale.seq };
  const reference = ledger.kind === 'epayment' ? ids.webOrderReference(position) : ids.orderReference(position);
  const pspReference = ids.pspReference({ ...position, seq: movementSeq({ seq: sale.seq, part, refund }) });
  return { pspReference, reference };
}

export function reportEntry(row: Row, ledger: LedgerSpec, day: number, ids: Identifiers, seed: string, gdpr: boolean): ReportEntry {
  const sale = row.sale;
  const references = sale
    ? saleReferences(ids, ledger, sale, row.role === 'refund', row.part)
    : { pspReference: row.pspReference ?? '', reference: row.reference ?? '' };
  const entry: ReportEntry = {
    pspReference: references.pspReference,
    time: reportTime(row.time, row.micros),
    ledgerDate: dateString(day),
    entryType: row.entryType,
    reference: references.reference,
    currency: ledger.currency,
    amount: row.amount,
    balanceBefore: row.balanceBefore,
    balanceAfter: row.balanceBefore + row.amount,
  };
  if (!sale) return entry;
  const handle = ledger.salesUnits[sale.unit]?.recipientHandle;
  if (handle) entry.recipientHandle = handle;
  // Payer details exist only for VM-number payments, and only when asked for.
  if (gdpr && ledger.kind === 'vm' && (row.entryType === 'capture' || row.entryType === 'refund')) {
    const rng = new Rng(seed, ledger.ledgerId, sale.day, sale.seq, 'payer');
    entry.name = `${rng.pick(firstNames)} ${String.fromCharCode(65 + rng.int(0, 25))}.`;
    entry.maskedPhoneNo = `xxxx ${String(rng.int(0, 9999)).padStart(4, '0')}`;
    if (row.entryType === 'capture' && rng.chance(0.6)) entry.message = rng.pick(messages);
  }
  return entry;
}

import { z } from 'zod';
import type { Context } from '../context.ts';
import { isUpstreamError } from '../../sources/index.ts';
import { saleFromLookup, type SaleShape } from './shapes.ts';

/**
 * The local part of a sale's global id names what finds it again: its pspReference, or for
 * cash (which has none) the order reference and the time.
 */
const saleKeyModel = z.union([
  z.tuple([z.literal('psp'), z.string().min(1), z.string().min(1)]),
  z.tuple([z.literal('cash'), z.string().min(1), z.string(), z.string().min(1)]),
]);

export type SaleKey = z.infer<typeof saleKeyModel>;

export function saleKeyOf(sale: SaleShape): string {
  const { pspReference, reference, time } = sale.entry;
  const key: SaleKey = pspReference === null ? ['cash', sale.ledgerId, reference, time] : ['psp', sale.ledgerId, pspReference];
  return JSON.stringify(key);
}

/** Null when the text is not a sale key this gateway made. */
export function parseSaleKey(text: string): SaleKey | null {
  try {
    const parsed = saleKeyModel.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The sale a key names, or null when it is gone or its ledger is no longer granted. */
export async function loadSaleByKey(context: Context, text: string): Promise<SaleShape | null> {
  const key = parseSaleKey(text);
  if (key === null) return null;
  // The ledger first: an id naming a ledger the caller cannot see reads nothing of it.
  if ((await context.report.ledger.load(key[1])) === null) return null;
  try {
    const entry =
      key[0] === 'psp'
        ? await context.sales.byPspReference.load({ ledgerId: key[1], pspReference: key[2] })
        : ((await context.sales.byReference.load({ ledgerId: key[1], reference: key[2] })).find(
            (candidate) => candidate.pspReference === null && candidate.time === key[3],
          ) ?? null);
    return entry ? saleFromLookup(key[1], entry) : null;
  } catch (error) {
    if (isUpstreamError(error) && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

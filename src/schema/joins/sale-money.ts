import { movementKindOf } from '../../kernel/movement-kinds.ts';
import type { Topic } from '../../sources/report/models.ts';
import type { Context } from '../context.ts';
import { accountHistory, moneyHistory, type AccountSearch, type MoneyHistory } from './history.ts';
import type { Reach } from './search-plan.ts';
import type { MoneyMovementShape, SaleShape } from './shapes.ts';

/** A sale's money within a reach: what `moneyMovements` and `history` show. */
export function saleMoney(context: Context, sale: SaleShape, reach: Reach): Promise<MoneyHistory> {
  const subject = sale.subject;
  if (subject === null) return Promise.resolve(cashHistory(sale));
  return moneyHistory(context, sale, subject, reach);
}

/** One account of a sale's money: what `captures` and `settlement` (funds) and `fees` read. */
export function saleAccount(context: Context, sale: SaleShape, topic: Topic, reach: Reach): AccountSearch | Promise<AccountSearch> {
  const subject = sale.subject;
  if (subject === null) return { plan: { dates: [], checkedThrough: cashDate(sale), complete: true, viaMirror: false }, days: [], movements: [] };
  return accountHistory(context, sale, subject, topic, reach);
}

/** The movements a search found: at once when the page's search already made it (joins/page-search.ts). */
export function movementsOf(found: AccountSearch | Promise<AccountSearch>): readonly MoneyMovementShape[] | Promise<readonly MoneyMovementShape[]> {
  return found instanceof Promise ? found.then((search) => search.movements) : found.movements;
}

const cashDate = (sale: SaleShape) => [...sale.salesDates].sort()[0] ?? '';

/** Cash moves no money through Vipps MobilePay: nothing to read, and nothing can be missing. */
function cashHistory(sale: SaleShape): MoneyHistory {
  const date = cashDate(sale);
  return { ledgerId: sale.ledgerId, funds: [], fees: [], fundsDays: [], checkedDates: [], checkedFrom: date, checkedThrough: date, complete: true, viaMirror: false };
}

/** The funds entry that books the sale itself (its capture, or its refund); null for cash and while not booked. */
export async function saleOwnMovement(context: Context, sale: SaleShape): Promise<MoneyMovementShape | null> {
  const own = sale.entry.entryType === 'refund' ? 'REFUND' : 'CAPTURE';
  const { movements } = await saleAccount(context, sale, 'funds', { kind: 'booking' });
  return movements.find((movement) => movementKindOf(movement.entry.entryType) === own) ?? null;
}

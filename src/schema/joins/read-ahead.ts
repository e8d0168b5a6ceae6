import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { bookingDates } from '../../kernel/booking-window.ts';
import type { Topic } from '../../sources/report/models.ts';
import type { Context } from '../context.ts';
import { newestDateOf } from './history.ts';

/*
 * Look-ahead for a page of sales: the Report date every sale of the page is looked for on first
 * is known from the arguments, so it is read in the same wave as the Sales date instead of in a
 * wave after it. The searches (joins/history.ts) then find it in the request's loader.
 */

/**
 * Starts reading the Report date a page of `salesDate` searches first (the date itself, see
 * `bookingDates`), so that it arrives in the same wave as the Sales date instead of in a wave
 * after it. Only without a feed mirror, where that is the date every sale with a pspReference
 * is looked for on first: on any day that has such a sale (all but an empty or all-cash day)
 * the searches read it anyway. The next date is read ahead for fees only, where every search
 * reads it once it has begun (by upstream's clock, as the searches judge it); a sale's funds
 * need it only when the sale's capture is missing on its own date, which only that date's
 * answer tells. The searches then find the read in the loader; a failed read is answered
 * there, by the field that needs it.
 */
export function readAheadForPage(context: Context, ledgerId: string, salesDate: string, topics: readonly Topic[]): void {
  if (context.report.mirrored) return;
  const [date, next] = bookingDates(salesDate);
  if (date === undefined) return;
  for (const topic of topics) context.report.day.load({ ledgerId, topic, date }).catch(() => undefined);
  if (next === undefined || !topics.includes('fees')) return;
  // Fees read the whole booking window that has begun (a capture may have a second fee on the
  // next date), so the next date is read ahead too once upstream's clock says it has begun.
  void newestDateOf(context, ledgerId)
    .then((newest) => (next <= newest ? context.report.day.load({ ledgerId, topic: 'fees', date: next }) : undefined))
    .catch(() => undefined);
}

/** The names of the fields the document asks, unconditionally, of the connection's sales (`edges { node { … } }`). */
export function fieldsAskedOfSales(info: GraphQLResolveInfo): Set<string> {
  const asked = new Set<string>();
  for (const connection of info.fieldNodes) {
    for (const edges of fieldsNamed(connection.selectionSet, 'edges', info.fragments)) {
      for (const node of fieldsNamed(edges.selectionSet, 'node', info.fragments)) {
        for (const field of fieldsNamed(node.selectionSet, null, info.fragments)) asked.add(field.name.value);
      }
    }
  }
  return asked;
}

/** The accounts whose joins the document asks of the connection's sales. */
export function topicsAskedOfSales(asked: ReadonlySet<string>): Topic[] {
  const topics: Topic[] = [];
  if (asked.has('captures') || asked.has('moneyMovements') || asked.has('settlement')) topics.push('funds');
  if (asked.has('fees') || asked.has('moneyMovements')) topics.push('fees');
  return topics;
}

/** The fields of a selection named `name` (every field when null), through fragments. */
function fieldsNamed(selections: SelectionSetNode | undefined, name: string | null, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selections?.selections ?? []) {
    // Conditional (`@include`, `@skip`): left to the per-sale searches, which run only if it is included.
    if ((selection.directives?.length ?? 0) > 0) continue;
    if (selection.kind === 'Field') {
      if (name === null || selection.name.value === name) fields.push(selection);
    } else if (selection.kind === 'InlineFragment') {
      fields.push(...fieldsNamed(selection.selectionSet, name, fragments));
    } else {
      fields.push(...fieldsNamed(fragments[selection.name.value]?.selectionSet, name, fragments));
    }
  }
  return fields;
}

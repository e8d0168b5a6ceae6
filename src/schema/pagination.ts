import { cursorToOffset, resolveArrayConnection, type DefaultConnectionArguments } from '@pothos/plugin-relay';
import { badInput } from './input-errors.ts';

/** Upstream pages hold at most 1000 entries; a GraphQL page larger than that helps no one. */
export const maxPageSize = 1000;
export const defaultPageSize = 100;

function checkSize(name: 'first' | 'last', value: number | null | undefined): void {
  if (value === null || value === undefined) return;
  if (value < 0 || value > maxPageSize) throw badInput(name, `must be between 0 and ${maxPageSize}; got ${value}`);
}

function checkCursor(name: 'after' | 'before', value: string | null | undefined): void {
  if (value === null || value === undefined) return;
  if (value.length > 64) throw badInput(name, `is not a cursor of this list (use an \`endCursor\` or edge \`cursor\` it returned); got ${value.length} characters`);
  let offset: number;
  try {
    offset = cursorToOffset(value);
  } catch {
    offset = Number.NaN;
  }
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw badInput(
      name,
      `is not a cursor of this list (use an \`endCursor\` or edge \`cursor\` it returned); got ${JSON.stringify(value)}`,
    );
  }
}

/**
 * Checks the connection arguments before slicing, so that a bad `first` or a foreign cursor is
 * answered as bad input naming the argument, not as an unexpected failure.
 */
export function checkConnectionArgs(args: DefaultConnectionArguments): void {
  checkSize('first', args.first);
  checkSize('last', args.last);
  checkCursor('after', args.after);
  checkCursor('before', args.before);
}

/** One page of a list that is already complete in memory (a whole upstream date, all ledgers). */
export function pageOf<T>(args: DefaultConnectionArguments, items: readonly T[]) {
  checkConnectionArgs(args);
  return resolveArrayConnection({ args, defaultSize: defaultPageSize, maxSize: maxPageSize }, items);
}

import { cursorToOffset, offsetForArgs, offsetToCursor, type DefaultConnectionArguments } from '@pothos/plugin-relay';
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

/**
 * One page of a list that is already complete in memory (a whole upstream date, all ledgers):
 * what `resolveArrayConnection` answers, except that an edge's cursor is encoded only when a
 * document asks for it, not for each of a thousand edges of every page.
 */
export function pageOf<T>(args: DefaultConnectionArguments, items: readonly T[]) {
  checkConnectionArgs(args);
  const { limit, offset, expectedSize, hasPreviousPage, hasNextPage } = offsetForArgs({
    args,
    defaultSize: defaultPageSize,
    maxSize: maxPageSize,
    totalCount: items.length,
  });
  const nodes = items.slice(offset, offset + limit);
  const edges = nodes.slice(0, expectedSize).map((node, index) => new PageEdge(node, offset + index));
  return {
    edges,
    totalCount: items.length,
    pageInfo: {
      startCursor: offsetToCursor(offset),
      endCursor: offsetToCursor(offset + edges.length - 1),
      hasPreviousPage,
      hasNextPage: hasNextPage(nodes.length),
    },
  };
}

class PageEdge<T> {
  constructor(
    readonly node: T,
    private readonly offset: number,
  ) {}

  get cursor(): string {
    return offsetToCursor(this.offset);
  }
}

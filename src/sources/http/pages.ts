import { UpstreamError } from './errors.ts';

/**
 * Follows an upstream cursor to the end. Upstream paging is trusted only so far: a cursor seen
 * twice, or more pages than any real answer has, is a broken upstream rather than a reason to
 * loop forever inside a GraphQL request.
 */

const maxPages = 10_000;

export async function followPages<Page>(
  /** The route template, as given to `UpstreamHttp.get`. */
  route: string,
  fetchPage: (cursor: string | undefined) => Promise<Page>,
  nextCursor: (page: Page) => string | null,
): Promise<Page[]> {
  const pages: Page[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    pages.push(page);
    const next = nextCursor(page);
    if (next === null) return pages;
    if (seen.has(next) || pages.length >= maxPages) {
      throw new UpstreamError('UPSTREAM_BAD_RESPONSE', `Upstream paging does not end on GET ${route}`, { route: `GET ${route}` });
    }
    seen.add(next);
    cursor = next;
  }
}

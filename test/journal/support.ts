import { narrow, present } from '../support/answers.ts';
import type { GraphClient } from '../support/graphql.ts';
import { JournalLineEntries, JournalLines } from './documents.ts';

/** Reading a whole journal, and a line's entries, page by page. */

export interface Range {
  ledgerId: string;
  from: string;
  to: string;
}

async function journalPage(gateway: GraphClient, variables: Range, after: string | null, headers: Record<string, string> = {}) {
  return present(narrow((await gateway.execute(JournalLines, { ...variables, after }, headers)).ledger, 'Ledger').journal, 'journal');
}

/** Every line of a journal, page after page. */
export async function journalLines(gateway: GraphClient, variables: Range, headers: Record<string, string> = {}) {
  let journal = await journalPage(gateway, variables, null, headers);
  const lines = [...present(journal.lines, 'lines').edges.map((edge) => edge.node)];
  while (present(journal.lines, 'lines').pageInfo.hasNextPage) {
    journal = await journalPage(gateway, variables, present(journal.lines, 'lines').pageInfo.endCursor ?? null, headers);
    lines.push(...present(journal.lines, 'lines').edges.map((edge) => edge.node));
  }
  return { journal, lines };
}

export async function lineEntries(gateway: GraphClient, variables: Range, trace: string, first: number, after: string | null) {
  const answer = narrow((await gateway.execute(JournalLineEntries, { ...variables, first, after })).ledger, 'Ledger');
  const line = present(present(answer.journal, 'journal').lines, 'lines').edges.find((edge) => edge.node.trace === trace);
  return present(line, `line ${trace}`).node.entries;
}

export type Line = Awaited<ReturnType<typeof journalLines>>['lines'][number];

/** One CSV line into its cells (RFC 4180 quoting). */
export function cellsOf(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}


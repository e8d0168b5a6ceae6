import type { Row } from './scenario.ts';

/**
 * Rows as a plain-text table, a blank cell where a row has no value. A column of numbers only is
 * right-aligned; any other is left-aligned, since mixed alignment in one column reads as noise.
 */
export function formatTable(rows: readonly Row[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (row: Row, column: string) => {
    const value = row[column];
    return value === undefined ? '' : String(value);
  };
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row, column).length)));
  const numeric = columns.map((column) => rows.every((row) => row[column] === undefined || typeof row[column] === 'number'));
  const line = (cells: string[]) =>
    cells
      .map((text, index) => (numeric[index] ? text.padStart(widths[index] ?? 0) : text.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(columns), rule, ...rows.map((row) => line(columns.map((column) => cell(row, column))))].join('\n');
}

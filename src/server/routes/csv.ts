/**
 * RFC 4180 CSV: comma-separated, CRLF line ends, a field quoted when it holds a comma, a quote
 * or a line break. A text field that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`
 * first) gets a leading apostrophe; numbers are written as they are.
 */

export type CsvCell = string | number | null;

const formulaStart = /^[=+\-@\t\r]/;

function cell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = formulaStart.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: readonly CsvCell[]): string {
  return `${cells.map(cell).join(',')}\r\n`;
}

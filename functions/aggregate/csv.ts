import type { CellValue } from './disclosure/published.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): text that a spreadsheet would run as a formula (starting with = + - @, tab or
 * carriage return) gets a leading apostrophe (OWASP CSV injection guidance); fields with a comma, quote or
 * line break are quoted. Numbers are written as they are (a negative number is data, not a formula).
 */
export const csvField = (value: string | number): string => {
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** A table as CSV: a header row, one row per category with its total, and a total row; CRLF line ends. */
export const tableCsv = (table: {
  readonly rowDimension: string;
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  readonly cells: readonly (readonly CellValue[])[];
  readonly rowTotals: readonly CellValue[];
  readonly columnTotals: readonly CellValue[];
  readonly grandTotal: CellValue;
}): string => {
  const line = (fields: readonly (string | number)[]): string => fields.map(csvField).join(',');
  const lines = [
    line([table.rowDimension, ...table.columns, 'Total']),
    ...table.rows.map((label, r) => line([label, ...(table.cells[r] ?? []), table.rowTotals[r] ?? '[c]'])),
    line(['Total', ...table.columnTotals, table.grandTotal]),
  ];
  return `${lines.join('\r\n')}\r\n`;
};

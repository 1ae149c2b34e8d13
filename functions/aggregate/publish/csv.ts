import { type AggregateCell, SUPPRESSED, type Table } from '../../../schemas/aggregate/table.ts';
import { spreadsheetSafe, toCsv } from '../../shared/csv.ts';

/**
 * A table as CSV: a header row, one row per category with its total, and a total row (CRLF line ends).
 * Text a spreadsheet would run as a formula gets a leading apostrophe (`spreadsheetSafe`).
 */
export const tableCsv = (table: Omit<Table<AggregateCell>, 'id' | 'title' | 'columnDimension'>): string =>
  toCsv(
    [
      [table.rowDimension, ...table.columns, 'Total'],
      ...table.rows.map((label, r) => [label, ...(table.cells[r] ?? []), table.rowTotals[r] ?? SUPPRESSED]),
      ['Total', ...table.columnTotals, table.grandTotal],
    ].map((row) => row.map(spreadsheetSafe)),
  );

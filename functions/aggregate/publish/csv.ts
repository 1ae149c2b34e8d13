import { type AggregateCell, SUPPRESSED, type Table } from '../../../schemas/aggregate/table.ts';
import { spreadsheetSafe, toCsv } from '../../shared/csv.ts';

/** What a row none of whose organisations had a counted return shows instead of its zeros. */
export const NOT_SUBMITTED = 'not submitted';

/**
 * A table as CSV: a header row, one row per category with its total, and a total row (CRLF line ends).
 * Rows in `notSubmitted` show "not submitted" instead of their zeros. Text a spreadsheet would run as a
 * formula gets a leading apostrophe (`spreadsheetSafe`).
 */
export const tableCsv = (
  table: Omit<Table<AggregateCell>, 'id' | 'title' | 'columnDimension'> & {
    readonly notSubmitted?: readonly string[];
  },
): string =>
  toCsv(
    [
      [table.rowDimension, ...table.columns, 'Total'],
      ...table.rows.map((label, r) =>
        table.notSubmitted?.includes(label)
          ? [label, ...table.columns.map(() => NOT_SUBMITTED), NOT_SUBMITTED]
          : [label, ...(table.cells[r] ?? []), table.rowTotals[r] ?? SUPPRESSED],
      ),
      ['Total', ...table.columnTotals, table.grandTotal],
    ].map((row) => row.map(spreadsheetSafe)),
  );

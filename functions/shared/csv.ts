import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell as written to CSV for a spreadsheet user: text that a spreadsheet would run as a formula
 * (starting with = + - @, tab or carriage return) gets a leading apostrophe (OWASP CSV injection
 * guidance). Numbers are kept as they are (a negative number is data, not a formula).
 */
export const spreadsheetSafe = (value: string | number): string | number =>
  typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;

/**
 * Rows as CSV text (RFC 4180, by csv-stringify): fields with a comma, quote or line break are quoted
 * (`quoted_match`, as csv-stringify alone quotes a whole CRLF but not a lone CR or LF), each row ends
 * with CRLF. Cells are written as given: pass them through `spreadsheetSafe` for files a person opens
 * in a spreadsheet.
 */
export const toCsv = (rows: readonly (readonly (string | number | null | undefined)[])[]): string =>
  stringify(
    rows.map((row) => [...row]),
    { record_delimiter: '\r\n', eof: true, quoted_match: /[\r\n]/ },
  );

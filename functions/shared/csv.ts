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
 * Rows as CSV text (RFC 4180, by csv-stringify): fields with a comma, quote or line break are quoted,
 * each row ends with `eol` (CRLF unless told). Cells are written as given: pass them through
 * `spreadsheetSafe` for files a person opens in a spreadsheet.
 */
export const toCsv = (
  rows: readonly (readonly (string | number | null | undefined)[])[],
  eol: '\r\n' | '\n' = '\r\n',
): string =>
  stringify(
    rows.map((row) => [...row]),
    // csv-stringify quotes only the whole record delimiter, so a lone CR or LF is matched here.
    { record_delimiter: eol, eof: true, quoted_match: /[\r\n]/ },
  );
